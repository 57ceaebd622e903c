#include "tests/sandbox/fault_stream.h"

namespace sandbox {

FaultStream::FaultStream(std::shared_ptr<Stream> inner, uint64_t after, std::string error_event)
    : inner_(std::move(inner)), after_(after), error_event_(std::move(error_event)) {}

void FaultStream::Start(StreamSink* sink) {
  sink_ = sink;
  if (after_ == 0) {
    Cut();
    return;
  }
  started_ = true;
  inner_->Start(this);
}

void FaultStream::Tick() {
  if (started_ && !cut_) inner_->Tick();
}

void FaultStream::Stop() {
  if (started_) inner_->Stop();
  started_ = false;
  sink_ = nullptr;
}

void FaultStream::Write(std::string data) {
  if (cut_ || sink_ == nullptr) return;
  bool bookmark = data.rfind(R"({"type":"BOOKMARK")", 0) == 0;
  sink_->Write(std::move(data));
  if (!bookmark && ++sent_ >= after_) Cut();
}

void FaultStream::End() {
  if (!cut_ && sink_ != nullptr) sink_->End();
}

void FaultStream::Abort() {
  if (!cut_ && sink_ != nullptr) sink_->Abort();
}

void FaultStream::Cut() {
  cut_ = true;
  if (error_event_.empty()) {
    sink_->Abort();
    return;
  }
  sink_->Write(error_event_);
  sink_->End();
}

}  // namespace sandbox
