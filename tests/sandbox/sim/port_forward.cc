#include "tests/sandbox/sim/port_forward.h"

#include "tests/sandbox/chunk_pool.h"

namespace sandbox::sim {

std::string PortForwardError(uint16_t port, const std::string& pod_name, const std::string& pod_uid,
                             const std::string& error) {
  return "error forwarding port " + std::to_string(port) + " to pod " + pod_name + ", uid " +
         pod_uid + ": " + error;
}

PortForwardSession::PortForwardSession(ChannelProtocol protocol, std::vector<Port> ports,
                                       std::string pod_name, std::string pod_uid,
                                       WorkloadPorts& workloads)
    : protocol_(std::move(protocol)),
      ports_(std::move(ports)),
      pod_name_(std::move(pod_name)),
      pod_uid_(std::move(pod_uid)),
      workloads_(workloads) {}

void PortForwardSession::Start(MessageSink* sink) {
  sink_ = sink;
  for (size_t i = 0; i < ports_.size(); ++i) {
    auto data = static_cast<uint8_t>(2 * i);
    sink_->Send(PortPreamble(protocol_, data, ports_[i].port));
    sink_->Send(PortPreamble(protocol_, data + 1, ports_[i].port));
  }
  connections_.resize(ports_.size());
  ended_.assign(ports_.size(), false);
  open_ = ports_.size();
  for (size_t i = 0; i < ports_.size() && !closed_; ++i) {
    if (!ports_[i].target) {
      Finish(i, ports_[i].target.error().message());
      continue;
    }
    PortEvents events;
    // The pod's bytes go out in the chunk they were read into, the channel byte written in front
    // of them (base64 re-encodes).
    events.on_chunk = [this, i](std::string chunk, size_t size) {
      auto channel = static_cast<uint8_t>(2 * i);
      if (protocol_.base64) {
        std::string_view data = std::string_view(chunk).substr(kChunkHeadroom, size);
        sink_->Send(EncodeChannelMessage(protocol_, channel, data));
        ReturnChunk(std::move(chunk));
      } else {
        chunk[kChunkHeadroom - 1] = static_cast<char>(channel);
        sink_->SendSlice(std::move(chunk), kChunkHeadroom - 1, kChunkHeadroom + size);
      }
      if (!paused_ && sink_->queued_bytes() > kPortForwardHighWater) SetReading(false);
    };
    events.on_sent = [this] { ResumeClientIfDrained(); };
    events.on_end = [this, i](const std::string& error) { Finish(i, error); };
    connections_[i] = workloads_.Connect(*ports_[i].target, std::move(events));
  }
}

void PortForwardSession::Finish(size_t index, const std::string& error) {
  if (closed_) return;
  if (!error.empty()) {
    std::string message = PortForwardError(ports_[index].port, pod_name_, pod_uid_, error);
    sink_->Send(EncodeChannelMessage(protocol_, static_cast<uint8_t>(2 * index + 1), message));
  }
  // The connection object stays until the session ends: this may run inside its own callback.
  ended_[index] = true;
  if (--open_ == 0) return sink_->Close();
  ResumeClientIfDrained();
}

void PortForwardSession::OnMessage(std::string_view message, bool /*binary*/) {
  uint8_t channel = 0;
  std::string payload;
  if (closed_ || !DecodeChannelMessage(protocol_, message, &channel, &payload)) return;
  size_t index = channel / 2;
  // Clients only write data channels; writes to the error channel are ignored, as the kubelet
  // does.
  if (channel % 2 != 0 || index >= connections_.size() || ended_[index]) return;
  if (payload.empty()) return;
  connections_[index]->Write(std::move(payload));
  if (!client_paused_ && connections_[index]->queued_bytes() > kPortForwardHighWater) {
    client_paused_ = true;
    sink_->SetReading(false);
  }
}

void PortForwardSession::ResumeClientIfDrained() {
  if (!client_paused_ || closed_) return;
  for (size_t i = 0; i < connections_.size(); ++i) {
    if (!ended_[i] && connections_[i]->queued_bytes() >= kPortForwardLowWater) return;
  }
  client_paused_ = false;
  sink_->SetReading(true);
}

void PortForwardSession::OnSent() {
  if (paused_ && !closed_ && sink_->queued_bytes() < kPortForwardLowWater) SetReading(true);
}

void PortForwardSession::SetReading(bool reading) {
  paused_ = !reading;
  for (size_t i = 0; i < connections_.size(); ++i) {
    if (!ended_[i]) connections_[i]->SetReading(reading);
  }
}

void PortForwardSession::OnClose() {
  closed_ = true;
  connections_.clear();
}

}  // namespace sandbox::sim
