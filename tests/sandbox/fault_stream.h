#pragma once

#include <memory>
#include <string>

#include "tests/sandbox/http_types.h"

namespace sandbox {

// How a FaultStream breaks its stream.
enum class StreamCut {
  kReset,          // after `after` events, reset the connection (drop-watch)
  kResetMidEvent,  // after `after` events, send half of the next one, then reset (reset)
  kError,          // after `after` events, send an ERROR event and end cleanly (expired)
};

// Wraps a streaming response (a watch) to cut it after `after` events; BOOKMARKs do not count.
class FaultStream : public Stream, private StreamSink {
 public:
  // `error_event` is the line kError sends.
  FaultStream(std::shared_ptr<Stream> inner, uint64_t after, StreamCut cut,
              std::string error_event = "");

  void Start(StreamSink* sink) override;
  void Tick() override;
  void Stop() override;
  std::chrono::steady_clock::time_point deadline() const override { return inner_->deadline(); }

 private:
  // StreamSink, for the inner stream.
  void Write(std::string data) override;
  void End() override;
  void Abort() override;
  void Cut();

  std::shared_ptr<Stream> inner_;
  uint64_t after_;
  StreamCut how_;
  std::string error_event_;
  StreamSink* sink_ = nullptr;
  uint64_t sent_ = 0;
  bool started_ = false;
  bool cut_ = false;
};

}  // namespace sandbox
