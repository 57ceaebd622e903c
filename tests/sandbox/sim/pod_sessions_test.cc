// Exec and port-forward through the simulated cluster, without a network: the API routes the
// upgrade to the cluster, the handler runs against a recording sink and fake workload ports.
#include <gtest/gtest.h>

#include "tests/sandbox/sim/pod_sessions_fixture.h"
#include "tests/sandbox/spdy/fake_kubectl.h"

namespace sandbox::sim {
namespace {

TEST_F(PodSessionsTest, PortForwardConnectsEveryPortAfterThePreamble) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  Response r =
      Upgrade(pod + "/portforward?ports=8065,5432", {"v5.channel.k8s.io", "v4.channel.k8s.io"});
  ASSERT_EQ(r.code, 101) << r.body;
  EXPECT_EQ(r.subprotocol, "v4.channel.k8s.io");
  RecordingSink sink;
  r.websocket->Start(&sink);
  ASSERT_EQ(sink.messages.size(), 5u);
  EXPECT_EQ(sink.messages[0], Bytes({0, 0x81, 0x1f}));
  EXPECT_EQ(sink.messages[1], Bytes({1, 0x81, 0x1f}));
  EXPECT_EQ(sink.messages[2], Bytes({2, 0x38, 0x15}));
  EXPECT_EQ(sink.messages[3], Bytes({3, 0x38, 0x15}));
  // Nothing listens on 5432: its error channel says so, as the kubelet does.
  EXPECT_EQ(sink.messages[4].substr(0, 1), Bytes({3}));
  EXPECT_NE(sink.messages[4].find("error forwarding port 5432 to pod "), std::string::npos);
  EXPECT_NE(sink.messages[4].find("connect: connection refused"), std::string::npos);
  ASSERT_EQ(ports_.targets.size(), 1u);
  EXPECT_EQ(ports_.targets[0].kind, PortKind::kMattermostHttp);
  EXPECT_EQ(ports_.targets[0].version, "10.5.2");
  // Bytes flow both ways on the data channel.
  r.websocket->OnMessage(Bytes({0, 'G', 'E', 'T'}), true);
  EXPECT_EQ(ports_.conns[0]->written, "GET");
  PodSends(ports_.events[0], "pong");
  EXPECT_EQ(sink.messages.back(), Bytes({0, 'p', 'o', 'n', 'g'}));
  EXPECT_FALSE(sink.closed);
  ports_.events[0].on_end("");  // the pod closed: every port is done, the websocket closes
  EXPECT_TRUE(sink.closed);
  r.websocket->OnClose();
}

// The base64 variant re-encodes what the pod sent (the plain one sends the chunk it was read
// into, the channel byte written in front).
TEST_F(PodSessionsTest, PortForwardBase64EncodesThePodsBytes) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  Response r = Upgrade(pod + "/portforward?ports=8065", {"v4.base64.channel.k8s.io"});
  ASSERT_EQ(r.code, 101) << r.body;
  RecordingSink sink;
  r.websocket->Start(&sink);
  ASSERT_EQ(ports_.events.size(), 1u);
  PodSends(ports_.events[0], "pong");
  EXPECT_EQ(sink.messages.back(), "0cG9uZw==");
  r.websocket->OnClose();
}

TEST_F(PodSessionsTest, PortForwardNeedsARunningPodAndPorts) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2", milliseconds(10));
  ASSERT_EQ(Get(pod, ".status.phase"), "Pending");
  Response pending = Upgrade(pod + "/portforward?ports=8065", {"v4.channel.k8s.io"});
  EXPECT_EQ(pending.code, 500);
  EXPECT_EQ(pending.body.substr(0, 16), "pod not found (\"");
  timers_.RunFor(milliseconds(1000));
  Response none = Upgrade(pod + "/portforward", {"v4.channel.k8s.io"});
  EXPECT_EQ(none.code, 400);
  EXPECT_EQ(none.body, "query parameter \"port\" is required");
  EXPECT_NE(Call("GET", pod + "/portforward").body.find("Upgrade request required"),
            std::string::npos);
}

TEST_F(PodSessionsTest, DeletingThePodResetsItsConnections) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  ObjectPtr object = api_.store().Get("/pods", "default/" + pod.substr(pod.rfind('/') + 1));
  ASSERT_NE(object, nullptr);
  std::string uid = Str(*Member(*object, "metadata"), "uid");
  ASSERT_EQ(Call("DELETE", pod).code, 200);
  timers_.RunFor(milliseconds(100));
  ASSERT_FALSE(ports_.closed.empty());
  EXPECT_EQ(ports_.closed[0].substr(0, uid.size()), uid);
}

TEST_F(PodSessionsTest, SpdyPortForwardUpgradesRawOrTunnelled) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  Response raw = api_.Handle(SpdyUpgrade(pod, {"portforward.k8s.io"}));
  ASSERT_EQ(raw.code, 101) << raw.body;
  EXPECT_TRUE(raw.raw_upgrade);
  using Headers = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(raw.headers, (Headers{{"Connection", "Upgrade"},
                                  {"Upgrade", "SPDY/3.1"},
                                  {"X-Stream-Protocol-Version", "portforward.k8s.io"}}));
  Response tunnelled = Upgrade(pod + "/portforward", {"SPDY/3.1+portforward.k8s.io"});
  ASSERT_EQ(tunnelled.code, 101) << tunnelled.body;
  EXPECT_FALSE(tunnelled.raw_upgrade);
  EXPECT_EQ(tunnelled.subprotocol, "SPDY/3.1+portforward.k8s.io");
  ASSERT_NE(tunnelled.websocket, nullptr);

  Response wrong = api_.Handle(SpdyUpgrade(pod, {"v4.channel.k8s.io"}));
  EXPECT_EQ(wrong.code, 403);
  EXPECT_EQ(wrong.body,
            "unable to upgrade: unable to negotiate protocol: client supports "
            "[v4.channel.k8s.io], server supports [portforward.k8s.io]");
}

TEST_F(PodSessionsTest, SpdyPortForwardCarriesEachConnectionToTheWorkload) {
  RecordingSink sink;
  spdy::fake::FakeKubectl kubectl;
  std::shared_ptr<WebSocketHandler> forward =
      OpenSpdyForward(sink, kubectl, spdy::EncodeDataFrame(3, 0, "GET"));
  ASSERT_NE(forward, nullptr);
  ASSERT_EQ(ports_.targets.size(), 1u);
  EXPECT_EQ(ports_.targets[0].kind, PortKind::kMattermostHttp);
  EXPECT_EQ(ports_.targets[0].version, "10.5.2");
  EXPECT_EQ(ports_.conns[0]->written, "GET");
  PodSends(ports_.events[0], "pong");
  ports_.events[0].on_end("");
  std::string sent;
  for (const std::string& message : sink.messages) sent += message;
  EXPECT_EQ(kubectl.Read(sent),
            (std::vector<std::string>{"SYN_REPLY 1 headers=0", "SYN_REPLY 3 headers=0",
                                      "DATA 3 'pong'", "DATA 3 FIN ''", "DATA 1 FIN ''"}));
  sink.messages.clear();

  // A port nothing serves: the kubelet's error on the error stream; the session stays up.
  forward->OnMessage(spdy::fake::Join({kubectl.OpenStream(5, "error", "5432", "1"),
                                       kubectl.OpenStream(7, "data", "5432", "1")}),
                     true);
  EXPECT_EQ(ports_.targets.size(), 1u);
  sent.clear();
  for (const std::string& message : sink.messages) sent += message;
  std::vector<std::string> lines = kubectl.Read(sent);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[2].substr(0, 42), "DATA 5 'error forwarding port 5432 to pod ");
  EXPECT_NE(lines[2].find("connect: connection refused'"), std::string::npos);
  EXPECT_EQ(lines[3], "DATA 7 FIN ''");
  EXPECT_EQ(lines[4], "DATA 5 FIN ''");
  EXPECT_FALSE(sink.closed);

  // GOAWAY ends the session; garbage ends it too.
  forward->OnMessage(spdy::EncodeGoAway(7, 0), true);
  EXPECT_TRUE(sink.closed);
  forward->OnClose();
}

// A pod slow to take what the client sends: the session stops reading the client above the high
// mark and starts again once the pod drained below the low mark, so the sandbox's memory stays
// bounded whatever the client sends.
TEST_F(PodSessionsTest, PortForwardStopsReadingTheClientWhileThePodIsSlow) {
  RecordingSink sink;
  std::shared_ptr<WebSocketHandler> forward =
      StartOnMattermostPod("/portforward?ports=8065", "v4.channel.k8s.io", sink);
  ASSERT_NE(forward, nullptr);
  std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 4 && sink.reading; ++i) forward->OnMessage(Bytes({0}) + chunk, true);
  EXPECT_TRUE(sink.reading) << "4 MiB queued is at the mark, not over it";
  forward->OnMessage(Bytes({0, 'y'}), true);
  EXPECT_FALSE(sink.reading);
  FakePorts::Conn& conn = *ports_.conns[0];
  conn.drained = conn.written.size() - kPortForwardLowWater;  // exactly the low mark is left
  ports_.events[0].on_sent();
  EXPECT_FALSE(sink.reading);
  conn.drained += 1;
  ports_.events[0].on_sent();
  EXPECT_TRUE(sink.reading);
  forward->OnClose();
}

TEST_F(PodSessionsTest, SpdyPortForwardStopsReadingTheClientWhileThePodIsSlow) {
  RecordingSink sink;
  spdy::fake::FakeKubectl kubectl;
  std::shared_ptr<WebSocketHandler> forward = OpenSpdyForward(sink, kubectl, "");
  ASSERT_NE(forward, nullptr);
  ASSERT_EQ(ports_.conns.size(), 1u);
  std::string frame = spdy::EncodeDataFrame(3, 0, std::string(1 << 20, 'x'));
  for (int i = 0; i < 5; ++i) forward->OnMessage(frame, true);
  EXPECT_FALSE(sink.reading);
  // The pod ends: nothing is held for it any more, so the client is read again.
  ports_.events[0].on_end("");
  EXPECT_TRUE(sink.reading);
  forward->OnClose();
}

TEST_F(PodSessionsTest, SpdyPortForwardClosesOnAProtocolError) {
  RecordingSink sink;
  std::shared_ptr<WebSocketHandler> forward =
      StartOnMattermostPod("/portforward", "SPDY/3.1+portforward.k8s.io", sink);
  ASSERT_NE(forward, nullptr);
  forward->OnMessage(std::string("\x80\x02\x00\x01\x00\x00\x00\x00", 8), true);
  EXPECT_TRUE(sink.closed);
  forward->OnClose();
}

TEST_F(PodSessionsTest, ExecRunsBuiltinsWithExitCodes) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  EXPECT_EQ(Exec(pod, "command=echo&command=hi&stdout=true&stderr=true"),
            "1:\n1:hi\n\n3:{\"metadata\":{},\"status\":\"Success\"}\n");
  std::string failed = Exec(pod, "command=sh&command=-c&command=exit+3&stdout=true");
  EXPECT_NE(failed.find(R"("causes":[{"reason":"ExitCode","message":"3"}])"), std::string::npos)
      << failed;
  std::string missing = Exec(pod, "command=nope&stdout=true&stderr=True");
  EXPECT_NE(missing.find("2:exec: \"nope\": executable file not found in $PATH\n"),
            std::string::npos)
      << missing;
  EXPECT_NE(missing.find(R"("message":"127")"), std::string::npos) << missing;
  EXPECT_EQ(Exec(pod, "command=mattermost&command=version&stdout=true").substr(0, 22),
            "1:\n1:Version: 10.5.2\nB");
  std::string env = Exec(pod, "command=env&stdout=true");
  EXPECT_NE(env.find("\nA=1\nDSN=<valueFrom secretKeyRef db/dsn>\n"), std::string::npos) << env;
  std::string status =
      Exec(pod, "command=mmctl&command=--local&command=system&command=status&stdout=1");
  EXPECT_NE(status.find("Server status: OK\n"), std::string::npos) << status;
  // The v4 protocol carries the same Status.
  EXPECT_NE(Exec(pod, "command=false&stdout=true", "v4.channel.k8s.io")
                .find(R"("causes":[{"reason":"ExitCode","message":"1"}])"),
            std::string::npos);
}

TEST_F(PodSessionsTest, CatEchoesStdinUntilTheV5Close) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  Response r = Upgrade(pod + "/exec?command=cat&stdin=true&stdout=true", {"v5.channel.k8s.io"});
  ASSERT_EQ(r.code, 101);
  RecordingSink sink;
  r.websocket->Start(&sink);
  EXPECT_FALSE(sink.closed);
  r.websocket->OnMessage(Bytes({0, 'a', 'b'}), true);
  r.websocket->OnMessage(std::string_view("\0cd", 3), false);  // text frames too (Python)
  r.websocket->OnMessage(Bytes({255, 0}), true);
  // The process ran, but its output waits for the trip to the kubelet: only the announcement has
  // gone, and everything else follows in order once it is over.
  EXPECT_EQ(sink.messages, std::vector<std::string>{Bytes({1})});
  EXPECT_FALSE(sink.closed);
  timers_.RunFor(kLatency - milliseconds(1));
  EXPECT_EQ(sink.messages.size(), 1u);
  timers_.RunFor(milliseconds(1));
  EXPECT_TRUE(sink.closed);
  ASSERT_EQ(sink.messages.size(), 4u);
  EXPECT_EQ(sink.messages[1], Bytes({1, 'a', 'b'}));
  EXPECT_EQ(sink.messages[3], Bytes({3}) + R"({"metadata":{},"status":"Success"})");
}

TEST_F(PodSessionsTest, ExecChecksTheContainerLikeTheApiServer) {
  std::string pod = RunPod("mattermost/mattermost-team-edition:10.5.2");
  Response wrong = Upgrade(pod + "/exec?command=ls&stdout=true&container=db", {});
  EXPECT_EQ(wrong.code, 400);
  EXPECT_NE(wrong.body.find("container db is not valid for pod "), std::string::npos);
}

TEST_F(PodSessionsTest, ExecNeedsARunningContainer) {
  std::string pod = RunPod("missing/app:1");
  Response r = Upgrade(pod + "/exec?command=ls&stdout=1", {});
  EXPECT_EQ(r.code, 500);
  EXPECT_EQ(r.body, "container not found (\"web\")");
}

}  // namespace
}  // namespace sandbox::sim
