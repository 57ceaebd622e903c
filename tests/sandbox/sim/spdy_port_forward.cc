#include "tests/sandbox/sim/spdy_port_forward.h"

#include <algorithm>
#include <cstdio>

#include "tests/sandbox/sim/port_forward.h"

namespace sandbox::sim {

SpdyPortForward::SpdyPortForward(Resolver resolve, std::string pod_name, std::string pod_uid,
                                 WorkloadPorts& workloads, Timers& timers,
                                 std::chrono::milliseconds stream_creation_timeout)
    : resolve_(std::move(resolve)),
      pod_name_(std::move(pod_name)),
      pod_uid_(std::move(pod_uid)),
      workloads_(workloads),
      timers_(timers),
      stream_creation_timeout_(stream_creation_timeout) {}

void SpdyPortForward::Start(MessageSink* sink) { sink_ = sink; }

void SpdyPortForward::OnMessage(std::string_view message, bool /*binary*/) {
  if (closed_) return;
  DropEnded();
  auto fed = session_.Feed(message);
  Carry();
  if (!fed) {
    std::fprintf(stderr, "port-forward to %s: %s\n", pod_name_.c_str(),
                 fed.error().message().c_str());
    closed_ = true;
    connections_.clear();
    sink_->Close();
    return;
  }
  if (session_.goaway_received()) sink_->Close();
}

void SpdyPortForward::Carry() {
  for (spdy::PortForwardAction& action : session_.TakeActions()) {
    using Kind = spdy::PortForwardAction::Kind;
    auto found = connections_.find(action.connection);
    switch (action.kind) {
      case Kind::kConnect:
        Connect(action.connection, action.port);
        break;
      case Kind::kWrite:
        if (found == connections_.end()) break;
        found->second->Write(std::move(action.data));
        if (!client_paused_ && found->second->queued_bytes() > kPortForwardHighWater) {
          client_paused_ = true;
          sink_->SetReading(false);
        }
        break;
      case Kind::kShutdownWrite:
        if (found != connections_.end()) found->second->CloseWrite();
        break;
      case Kind::kClose:
        if (found != connections_.end()) connections_.erase(found);
        break;
    }
  }
  WatchNewPairs();
  Flush();
}

void SpdyPortForward::WatchNewPairs() {
  for (uint32_t stream : session_.TakeNewPairs()) {
    timers_.After(stream_creation_timeout_, [weak = weak_from_this(), stream] {
      auto self = weak.lock();
      if (self == nullptr || self->closed_) return;
      self->session_.ExpirePair(stream);
      self->Flush();
    });
  }
}

void SpdyPortForward::Connect(uint32_t connection, uint16_t port) {
  auto target = resolve_(port);
  if (!target) {
    session_.OnPodError(connection,
                        PortForwardError(port, pod_name_, pod_uid_, target.error().message()));
    return;
  }
  PortEvents events;
  events.on_data = [this, connection](std::string_view data) {
    session_.OnPodData(connection, data);
    Flush();
    if (!paused_ && sink_->queued_bytes() > kPortForwardHighWater) SetReading(false);
  };
  events.on_sent = [this] { ResumeClientIfDrained(); };
  events.on_end = [this, connection, port](const std::string& error) {
    if (error.empty()) {
      session_.OnPodClosed(connection);
    } else {
      session_.OnPodError(connection, PortForwardError(port, pod_name_, pod_uid_, error));
    }
    ended_.push_back(connection);
    Flush();
    ResumeClientIfDrained();
  };
  auto opened = workloads_.Connect(*target, std::move(events));
  if (paused_) opened->SetReading(false);
  connections_[connection] = std::move(opened);
}

void SpdyPortForward::Flush() {
  if (closed_ || session_.pending_output() == 0) return;
  sink_->Send(session_.TakeOutput());
}

void SpdyPortForward::OnSent() {
  if (closed_) return;
  DropEnded();
  if (paused_ && sink_->queued_bytes() < kPortForwardLowWater) SetReading(true);
}

void SpdyPortForward::ResumeClientIfDrained() {
  if (!client_paused_ || closed_) return;
  for (const auto& [id, connection] : connections_) {
    bool ended = std::find(ended_.begin(), ended_.end(), id) != ended_.end();
    if (!ended && connection->queued_bytes() >= kPortForwardLowWater) return;
  }
  client_paused_ = false;
  sink_->SetReading(true);
}

void SpdyPortForward::SetReading(bool reading) {
  paused_ = !reading;
  for (auto& [id, connection] : connections_) {
    if (std::find(ended_.begin(), ended_.end(), id) == ended_.end())
      connection->SetReading(reading);
  }
}

void SpdyPortForward::DropEnded() {
  for (uint32_t id : ended_) {
    connections_.erase(id);
  }
  ended_.clear();
}

void SpdyPortForward::OnClose() {
  closed_ = true;
  connections_.clear();
}

}  // namespace sandbox::sim
