#include "tests/sandbox/sim/spdy_remote_command.h"

#include <cstdio>

#include "tests/sandbox/channel_protocol.h"

namespace sandbox::sim {
namespace {

spdy::RemoteCommandSession::Expected ExpectedStreams(int version, const StreamOptions& options) {
  spdy::RemoteCommandSession::Expected expected;
  expected.in = options.attach_stdin;
  expected.out = options.attach_stdout;
  expected.err = options.attach_stderr && !options.tty;  // a TTY merges stderr into stdout
  expected.resize = options.tty && version >= 3;
  return expected;
}

}  // namespace

SpdyRemoteCommand::SpdyRemoteCommand(int version, StreamOptions options,
                                     std::shared_ptr<RemoteProcess> process, Timers& timers,
                                     std::chrono::milliseconds stream_creation_timeout)
    : version_(version),
      options_(options),
      process_(std::move(process)),
      timers_(timers),
      stream_creation_timeout_(stream_creation_timeout),
      session_(ExpectedStreams(version, options)) {}

void SpdyRemoteCommand::Start(MessageSink* sink) {
  sink_ = sink;
  std::weak_ptr<SpdyRemoteCommand> weak = weak_from_this();
  timers_.After(stream_creation_timeout_, [weak] {
    auto self = weak.lock();
    if (self == nullptr || self->closed_ || self->started_) return;
    std::fprintf(stderr, "remote command: timed out waiting for client to create streams\n");
    self->Close();
  });
}

void SpdyRemoteCommand::OnMessage(std::string_view message, bool /*binary*/) {
  if (closed_) return;
  auto fed = session_.Feed(message);
  for (spdy::RemoteCommandEvent& event : session_.TakeEvents()) {
    using Kind = spdy::RemoteCommandEvent::Kind;
    if (event.kind == Kind::kReady && !started_) {
      started_ = true;
      process_->Start(this);
    } else if (event.kind == Kind::kStdin && started_) {
      process_->OnStdin(event.data);
    } else if (event.kind == Kind::kStdinEnd && started_) {
      process_->OnStdinEnd();
    }  // resizes change nothing in a simulated terminal
    if (closed_) return;
  }
  Flush();
  if (!fed) {
    std::fprintf(stderr, "remote command: %s\n", fed.error().message().c_str());
    Close();
  } else if (session_.goaway_received()) {
    Close();
  }
}

void SpdyRemoteCommand::Write(bool to_stderr, std::string_view data) {
  using spdy::StdStream;
  session_.Write(to_stderr && !options_.tty ? StdStream::kStderr : StdStream::kStdout, data);
  Flush();
}

void SpdyRemoteCommand::Exit(int exit_code) {
  std::string result;
  if (version_ >= 4) {
    result = ExecStatusJson(exit_code, process_->CommandLine());
  } else if (exit_code != 0) {
    result = ExecFailureMessage(exit_code, process_->CommandLine());
  }
  session_.Finish(result);
  Flush();
  CloseLater(kCloseGrace);
}

void SpdyRemoteCommand::Flush() {
  if (!closed_ && session_.pending_output() > 0) sink_->Send(session_.TakeOutput());
}

void SpdyRemoteCommand::CloseLater(std::chrono::milliseconds delay) {
  std::weak_ptr<SpdyRemoteCommand> weak = weak_from_this();
  timers_.After(delay, [weak] {
    if (auto self = weak.lock()) self->Close();
  });
}

void SpdyRemoteCommand::Close() {
  if (closed_) return;
  closed_ = true;
  if (started_) process_->Detach();
  sink_->Close();
}

void SpdyRemoteCommand::OnClose() {
  if (closed_) return;
  closed_ = true;
  if (started_) process_->Detach();
}

}  // namespace sandbox::sim
