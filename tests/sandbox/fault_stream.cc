#include "tests/sandbox/fault_stream.h"

namespace sandbox {

FaultStream::FaultStream(std::shared_ptr<Stream> inner, uint64_t after, StreamCut cut,
                         std::string error_event)
    : inner_(std::move(inner)), after_(after), how_(cut), error_event_(std::move(error_event)) {}

void FaultStream::Start(StreamSink* sink) {
  sink_ = sink;
  if (after_ == 0 && how_ != StreamCut::kResetMidEvent) {
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
  if (!bookmark && how_ == StreamCut::kResetMidEvent && sent_ == after_) {
    sink_->Write(data.substr(0, data.size() / 2));  // the client holds half an event
    Cut();
    return;
  }
  sink_->Write(std::move(data));
  if (!bookmark && ++sent_ >= after_ && how_ != StreamCut::kResetMidEvent) Cut();
}

void FaultStream::End() {
  if (!cut_ && sink_ != nullptr) sink_->End();
}

void FaultStream::Abort() {
  if (!cut_ && sink_ != nullptr) sink_->Abort();
}

void FaultStream::Cut() {
  cut_ = true;
  if (how_ != StreamCut::kError) {
    sink_->Abort();
    return;
  }
  sink_->Write(error_event_);
  sink_->End();
}

}  // namespace sandbox
