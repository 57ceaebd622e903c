#pragma once
// Blocking waits on an io_context for the client's Asio translation units (the REST connection,
// the dialer and the WebSocket): one operation is started, then handlers run on the caller's
// thread until it completes, the CancellationToken fires or the deadline passes.

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>

#include "kubeapi/cancellation.h"
#include "kubeapi/steady_time.h"

namespace mm::kubeapi {

// Why a wait ended early.
enum class IoStop { kNone, kCancelled, kDeadline };

// Runs `io`'s handlers until `done`; on `cancel` or `deadline` calls `on_stop` once (which must
// make the pending operations complete, e.g. by closing the socket) and keeps running until they
// have. The token is polled every 50 ms. Returns why it stopped.
template <typename OnStop>
IoStop RunIoUntil(boost::asio::io_context& io, const bool& done, const CancellationToken* cancel,
                  SteadyTime deadline, OnStop on_stop) {
  IoStop stop = IoStop::kNone;
  while (!done) {
    if (io.stopped()) io.restart();
    auto slice = std::chrono::milliseconds(50);
    if (deadline != SteadyTime::max()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      slice = std::max(std::chrono::milliseconds(1), std::min(slice, left));
    }
    io.run_one_for(slice);
    if (done || stop != IoStop::kNone) continue;
    if (cancel != nullptr && cancel->IsCancelled()) {
      stop = IoStop::kCancelled;
    } else if (deadline != SteadyTime::max() && std::chrono::steady_clock::now() >= deadline) {
      stop = IoStop::kDeadline;
    }
    if (stop != IoStop::kNone) on_stop();
  }
  return stop;
}

// Starts one asynchronous operation with `start(handler)` and runs `io` until it completes (see
// RunIoUntil). Returns the operation's error code; `stop` says whether it was cut short.
template <typename Start, typename OnStop>
boost::system::error_code AwaitIo(boost::asio::io_context& io, Start start,
                                  const CancellationToken* cancel, SteadyTime deadline,
                                  IoStop& stop, OnStop on_stop) {
  bool done = false;
  boost::system::error_code result;
  start([&](boost::system::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  stop = RunIoUntil(io, done, cancel, deadline, on_stop);
  return result;
}

}  // namespace mm::kubeapi
