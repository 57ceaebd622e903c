#pragma once

#include <memory>
#include <string>

#include "tests/sandbox/http_types.h"

namespace sandbox {

// Wraps a streaming response (a watch) to cut it after `after` events (BOOKMARKs do not count):
// with an `error_event` line the stream sends it and ends cleanly (the 410 Expired fault);
// without one it resets the connection (the drop-watch fault).
class FaultStream : public Stream, private StreamSink {
 public:
  FaultStream(std::shared_ptr<Stream> inner, uint64_t after, std::string error_event);

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
  std::string error_event_;
  StreamSink* sink_ = nullptr;
  uint64_t sent_ = 0;
  bool started_ = false;
  bool cut_ = false;
};

}  // namespace sandbox
