// Exec and attach through the simulated cluster over both transports (WebSocket channels, raw
// SPDY/3.1), without a network: a recording sink plays the connection, FakeKubectl the client.
#include <gtest/gtest.h>

#include <memory>

#include "tests/sandbox/sim/pod_sessions_fixture.h"
#include "tests/sandbox/sim/spdy_remote_command.h"
#include "tests/sandbox/spdy/fake_kubectl.h"

namespace sandbox::sim {
namespace {

using spdy::fake::FakeKubectl;
using spdy::fake::Join;
using Lines = std::vector<std::string>;

spdy::HeaderList Type(const std::string& type) { return {{"streamtype", type}}; }

std::string Sent(RecordingSink& sink) {
  std::string out;
  for (const std::string& message : sink.messages) out += message;
  sink.messages.clear();
  return out;
}

// "channel:payload" per message.
std::string Channels(RecordingSink& sink) {
  std::string out;
  for (const auto& m : sink.messages)
    out += std::to_string(uint8_t(m[0])) + ":" + m.substr(1) + "\n";
  sink.messages.clear();
  return out;
}

const char kSuccess[] = R"({"metadata":{},"status":"Success"})";

// One raw SPDY connection: the upgrade's answer, its handler started on `sink`, and `kubectl`
// playing the client. The handler hears the connection end when this goes.
struct SpdyConnection {
  Response response;
  RecordingSink sink;
  FakeKubectl kubectl;

  void Send(const std::string& bytes) {
    if (response.websocket == nullptr) return ADD_FAILURE() << "no connection: " << response.body;
    response.websocket->OnMessage(bytes, true);
  }
  // What the server sent since the last call, one line per frame.
  Lines Received() { return kubectl.Read(Sent(sink)); }
  ~SpdyConnection() {
    if (response.websocket != nullptr) response.websocket->OnClose();
  }
};

class RemoteCommandsTest : public PodSessionsTest {
 protected:
  // Creates pod `name` (restartPolicy Never) with one container `web` (`extra` is added to the
  // container's fields) and lets it start; returns its path.
  std::string RunBarePod(const std::string& name, const std::string& image,
                         const std::string& extra) {
    std::string body =
        R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
        R"("},"spec":{"restartPolicy":"Never","containers":[{"name":"web","image":")" + image +
        "\"" + extra + "}]}}";
    EXPECT_EQ(Call("POST", "/api/v1/namespaces/default/pods", body).code, 201);
    timers_.RunFor(milliseconds(150));
    return "/api/v1/namespaces/default/pods/" + name;
  }
  // POSTs the SPDY upgrade of `subresource` (with its query) and starts the session.
  std::unique_ptr<SpdyConnection> OpenSpdy(const std::string& pod,
                                           std::vector<std::string> protocols,
                                           const std::string& subresource) {
    auto connection = std::make_unique<SpdyConnection>();
    connection->response = api_.Handle(SpdyUpgrade(pod, std::move(protocols), subresource));
    EXPECT_EQ(connection->response.code, 101) << connection->response.body;
    if (connection->response.websocket != nullptr) {
      connection->response.websocket->Start(&connection->sink);
    }
    return connection;
  }
};

TEST_F(RemoteCommandsTest, SpdyExecRunsTheSameBuiltinsAsWebSocket) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  // kubectl 1.30+ offers v5 first in its SPDY fallback: the kubelet has no v5 there, v4 wins.
  auto c = OpenSpdy(pod, {"v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io"},
                    "/exec?command=echo&command=hi&container=web&stdout=true&stderr=true");
  EXPECT_TRUE(c->response.raw_upgrade);
  using Headers = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(c->response.headers, (Headers{{"Connection", "Upgrade"},
                                          {"Upgrade", "SPDY/3.1"},
                                          {"X-Stream-Protocol-Version", "v4.channel.k8s.io"}}));
  c->Send(
      Join({c->kubectl.OpenStream(1, Type("error")), c->kubectl.OpenStream(3, Type("stdout"))}));
  EXPECT_EQ(c->Received(), (Lines{"SYN_REPLY 1 headers=0", "SYN_REPLY 3 headers=0"}));
  c->Send(c->kubectl.OpenStream(5, Type("stderr")));  // the last one: the command runs
  EXPECT_EQ(c->Received(), (Lines{"SYN_REPLY 5 headers=0", "DATA 3 'hi\n'",
                                  "DATA 1 '" + std::string(kSuccess) + "'", "DATA 1 FIN ''",
                                  "DATA 3 FIN ''", "DATA 5 FIN ''", "GOAWAY 5"}));
  // kubectl closes the connection itself; one that does not is closed after a grace period.
  EXPECT_FALSE(c->sink.closed);
  timers_.RunFor(SpdyRemoteCommand::kCloseGrace);
  EXPECT_TRUE(c->sink.closed);
}

TEST_F(RemoteCommandsTest, SpdyExecOlderProtocolsSendTheFailureAsText) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  auto c =
      OpenSpdy(pod, {"v2.channel.k8s.io"}, "/exec?command=sh&command=-c&command=exit+3&stdout=1");
  c->Send(
      Join({c->kubectl.OpenStream(1, Type("error")), c->kubectl.OpenStream(3, Type("stdout"))}));
  Lines lines = c->Received();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[2],
            "DATA 1 'command terminated with non-zero exit code: command 'sh -c exit 3' exited "
            "with 3'");

  Response wrong =
      api_.Handle(SpdyUpgrade(pod, {"v5.channel.k8s.io"}, "/exec?command=ls&stdout=1"));
  EXPECT_EQ(wrong.code, 403);
  EXPECT_EQ(wrong.body,
            "unable to upgrade: unable to negotiate protocol: client supports [v5.channel.k8s.io], "
            "server supports [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io "
            "channel.k8s.io]");
}

TEST_F(RemoteCommandsTest, SpdyExecGivesUpOnStreamsThatNeverCome) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  auto c = OpenSpdy(pod, {"v4.channel.k8s.io"}, "/exec?command=ls&stdout=1");
  c->Send(c->kubectl.OpenStream(1, Type("error")));  // stdout never opens
  timers_.RunFor(milliseconds(29000));
  EXPECT_FALSE(c->sink.closed);
  timers_.RunFor(milliseconds(1000));  // the kubelet's 30 s
  EXPECT_TRUE(c->sink.closed);
  EXPECT_EQ(c->Received(), (Lines{"SYN_REPLY 1 headers=0"}));  // no command ran
}

TEST_F(RemoteCommandsTest, ExecEndsWith137WhenThePodIsDeleted) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  Response ws = Upgrade(pod + "/exec?command=cat&stdin=true&stdout=true", {"v5.channel.k8s.io"});
  ASSERT_EQ(ws.code, 101);
  RecordingSink ws_sink;
  ws.websocket->Start(&ws_sink);
  auto c = OpenSpdy(pod, {"v4.channel.k8s.io"}, "/exec?command=cat&stdin=true&stdout=true");
  c->Send(Join({c->kubectl.OpenStream(1, Type("error")), c->kubectl.OpenStream(3, Type("stdin")),
                c->kubectl.OpenStream(5, Type("stdout")), spdy::EncodeDataFrame(3, 0, "x")}));
  ASSERT_EQ(Call("DELETE", pod).code, 200);
  timers_.RunFor(kLatency);
  EXPECT_TRUE(ws_sink.closed);
  std::string status = Channels(ws_sink);
  EXPECT_NE(status.find(R"("causes":[{"reason":"ExitCode","message":"137"}])"), std::string::npos)
      << status;
  Lines lines = c->Received();
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[3], "DATA 5 'x'");
  EXPECT_NE(lines[4].find(R"("message":"137")"), std::string::npos) << lines[4];
  ws.websocket->OnClose();
}

TEST_F(RemoteCommandsTest, AttachStreamsWhatTheContainerWritesUntilThePodIsDeleted) {
  std::string pod =
      RunBarePod("att", "mattermost/mattermost-team-edition:10.5.2", R"(,"stdin":true)");
  Response r = Upgrade(pod + "/attach?stdin=true&stdout=true&stderr=true", {"v5.channel.k8s.io"});
  ASSERT_EQ(r.code, 101) << r.body;
  RecordingSink sink;
  r.websocket->Start(&sink);
  // Only what is written from now on: not the start-up lines already in the log.
  EXPECT_EQ(Channels(sink), "1:\n");
  // The container reads stdin (stdin: true) and writes each line: the log gets it, and so does
  // every attached client.
  Response other = Upgrade(pod + "/attach?stdout=true", {"v4.channel.k8s.io"});
  ASSERT_EQ(other.code, 101) << other.body;
  RecordingSink other_sink;
  other.websocket->Start(&other_sink);
  r.websocket->OnMessage(Bytes({0, 'h', 'i', '\n', 'x'}), true);
  timers_.RunFor(kLatency);  // the attaches' trip to the kubelet
  EXPECT_EQ(Channels(sink), "1:hi\n\n");
  EXPECT_EQ(Channels(other_sink), "1:\n1:hi\n\n");
  EXPECT_NE(Call("GET", pod + "/log").body.find("\nhi\n"), std::string::npos);
  EXPECT_FALSE(sink.closed);
  ASSERT_EQ(Call("DELETE", pod).code, 200);
  timers_.RunFor(milliseconds(100));
  EXPECT_EQ(Channels(sink), "3:" + std::string(kSuccess) + "\n");
  EXPECT_TRUE(sink.closed);
  EXPECT_TRUE(other_sink.closed);
  r.websocket->OnClose();
  other.websocket->OnClose();
}

TEST_F(RemoteCommandsTest, SpdyAttachEndsWhenTheContainerTerminates) {
  // A job container without stdin: its one line comes when it exits; stdin is discarded.
  std::string pod = RunBarePod("job", "busybox:1.36", R"(,"command":["echo","done"])");
  auto c = OpenSpdy(pod, {"v4.channel.k8s.io"},
                    "/attach?container=web&stdin=true&stdout=true&stderr=true");
  c->Send(Join({c->kubectl.OpenStream(1, Type("error")), c->kubectl.OpenStream(3, Type("stdin")),
                c->kubectl.OpenStream(5, Type("stdout")), c->kubectl.OpenStream(7, Type("stderr")),
                spdy::EncodeDataFrame(3, 0, "ignored\n")}));
  EXPECT_EQ(c->Received().size(), 4u);  // the replies only
  timers_.RunFor(milliseconds(1000));
  EXPECT_EQ(c->Received(), (Lines{"DATA 5 'echo done\n'", "DATA 1 '" + std::string(kSuccess) + "'",
                                  "DATA 1 FIN ''", "DATA 3 FIN ''", "DATA 5 FIN ''",
                                  "DATA 7 FIN ''", "GOAWAY 7"}));
  EXPECT_EQ(Call("GET", pod + "/log").body, "echo done\n");

  Response late = Upgrade(pod + "/attach?stdout=true", {"v5.channel.k8s.io"});
  EXPECT_EQ(late.code, 500);
  EXPECT_EQ(late.body, "container web not found in pod job_default");
}

// kubectl asks for a TTY only when its stdin is a terminal: the streams follow the request, not
// the container's spec.tty (else the session would wait for a resize stream that never comes).
TEST_F(RemoteCommandsTest, SpdyAttachStreamsFollowTheRequestNotTheSpecTty) {
  std::string pod =
      RunBarePod("tty", "mattermost/mattermost-team-edition:10.5.2", R"(,"stdin":true,"tty":true)");
  auto c = OpenSpdy(pod, {"v4.channel.k8s.io"}, "/attach?stdin=true&stdout=true&stderr=true");
  c->Send(Join({c->kubectl.OpenStream(1, Type("error")), c->kubectl.OpenStream(3, Type("stdin")),
                c->kubectl.OpenStream(5, Type("stdout")), c->kubectl.OpenStream(7, Type("stderr")),
                spdy::EncodeDataFrame(3, 0, "typed\n")}));
  Lines lines = c->Received();
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[4], "DATA 5 'typed\n'");
}

TEST_F(RemoteCommandsTest, SpdyPortForwardTimesOutAMissingDataStream) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  auto c = OpenSpdy(pod, {"portforward.k8s.io"}, "/portforward");
  c->Send(c->kubectl.OpenStream(1, "error", "8065", "0"));
  EXPECT_EQ(c->Received(), (Lines{"SYN_REPLY 1 headers=0"}));
  timers_.RunFor(milliseconds(29000));
  EXPECT_TRUE(c->Received().empty());
  timers_.RunFor(milliseconds(1000));
  EXPECT_EQ(c->Received(),
            (Lines{"DATA 1 '(conn=&{1}, request=0) timed out waiting for streams'"}));
  EXPECT_TRUE(ports_.targets.empty());
}

}  // namespace
}  // namespace sandbox::sim
