#include "tests/sandbox/spdy/port_forward_session.h"

#include <gtest/gtest.h>

#include "tests/sandbox/spdy/fake_kubectl.h"
#include "tests/sandbox/spdy/kubectl_capture.h"

namespace sandbox::spdy {
namespace {

using Kind = PortForwardAction::Kind;
using fake::FakeKubectl;
using fake::Join;

using Lines = std::vector<std::string>;
using Actions = std::vector<PortForwardAction>;

TEST(SpdyPortForwardSession, AnswersKubectlsRealStreamsAndPing) {
  PortForwardSession session;
  ASSERT_TRUE(session.Feed(testdata::KubectlSynStreamsAndPing()).ok());
  FakeKubectl client;  // only decodes: the capture was compressed by the real kubectl
  EXPECT_EQ(client.Read(session.TakeOutput()),
            (Lines{"SYN_REPLY 1 headers=0", "SYN_REPLY 3 headers=0", "PING 1"}));
  EXPECT_TRUE(session.TakeActions().empty());  // no data stream yet
  EXPECT_EQ(session.open_connections(), 2u);
}

TEST(SpdyPortForwardSession, ForwardsOneConnectionLikeKubectl) {
  PortForwardSession session;
  FakeKubectl client;
  ASSERT_TRUE(session
                  .Feed(Join({client.OpenStream(1, "error", "8065", "0"),
                              EncodeDataFrame(1, kFlagFin, "")}))
                  .ok());
  EXPECT_EQ(client.Read(session.TakeOutput()), (Lines{"SYN_REPLY 1 headers=0"}));
  EXPECT_TRUE(session.TakeActions().empty());

  ASSERT_TRUE(session.Feed(client.OpenStream(3, "data", "8065", "0")).ok());
  EXPECT_EQ(client.Read(session.TakeOutput()), (Lines{"SYN_REPLY 3 headers=0"}));
  EXPECT_EQ(session.TakeActions(), (Actions{{Kind::kConnect, 3, 8065, ""}}));

  ASSERT_TRUE(session.Feed(EncodeDataFrame(3, 0, "GET / HTTP/1.0\r\n\r\n")).ok());
  EXPECT_EQ(session.TakeActions(), (Actions{{Kind::kWrite, 3, 0, "GET / HTTP/1.0\r\n\r\n"}}));

  session.OnPodData(3, "HTTP/1.0 200 OK\r\n\r\n");
  session.OnPodClosed(3);
  EXPECT_EQ(client.Read(session.TakeOutput()),
            (Lines{"DATA 3 'HTTP/1.0 200 OK\r\n\r\n'", "DATA 3 FIN ''", "DATA 1 FIN ''"}));
  EXPECT_EQ(session.open_connections(), 1u);  // until the client ends its side

  ASSERT_TRUE(session.Feed(EncodeDataFrame(3, kFlagFin, "")).ok());
  EXPECT_TRUE(session.TakeActions().empty());  // the pod side is already closed
  EXPECT_EQ(session.open_connections(), 0u);
  EXPECT_TRUE(session.TakeOutput().empty());
}

TEST(SpdyPortForwardSession, ClientFinHalfClosesTowardsThePod) {
  PortForwardSession session;
  FakeKubectl client;
  ASSERT_TRUE(session
                  .Feed(Join({client.OpenStream(1, "error", "8067", "7"),
                              client.OpenStream(3, "data", "8067", "7"),
                              EncodeDataFrame(3, kFlagFin, "bye")}))
                  .ok());
  EXPECT_EQ(session.TakeActions(), (Actions{{Kind::kConnect, 3, 8067, ""},
                                            {Kind::kWrite, 3, 0, "bye"},
                                            {Kind::kShutdownWrite, 3, 0, ""}}));
  session.OnPodClosed(3);
  EXPECT_EQ(
      client.Read(session.TakeOutput()),
      (Lines{"SYN_REPLY 1 headers=0", "SYN_REPLY 3 headers=0", "DATA 3 FIN ''", "DATA 1 FIN ''"}));
  EXPECT_EQ(session.open_connections(), 0u);
}

TEST(SpdyPortForwardSession, PodErrorGoesOnTheErrorStream) {
  PortForwardSession session;
  FakeKubectl client;
  auto fed = session.Feed(
      Join({client.OpenStream(1, "error", "9", "0"), client.OpenStream(3, "data", "9", "0")}));
  ASSERT_TRUE(fed.ok()) << fed.error().message();
  client.Read(session.TakeOutput());
  session.OnPodError(3, "error forwarding port 9 to pod web, uid u1: connection refused");
  EXPECT_EQ(client.Read(session.TakeOutput()),
            (Lines{"DATA 1 'error forwarding port 9 to pod web, uid u1: connection refused'",
                   "DATA 3 FIN ''", "DATA 1 FIN ''"}));
  // Later pod events for the finished connection are ignored.
  session.OnPodData(3, "late");
  session.OnPodClosed(3);
  EXPECT_TRUE(session.TakeOutput().empty());
}

TEST(SpdyPortForwardSession, ConcurrentConnectionsArePairedByRequestId) {
  PortForwardSession session;
  FakeKubectl client;
  ASSERT_TRUE(session
                  .Feed(Join({client.OpenStream(1, "error", "8065", "0"),
                              client.OpenStream(3, "error", "8065", "1"),
                              client.OpenStream(5, "data", "8065", "1"),
                              client.OpenStream(7, "data", "8065", "0")}))
                  .ok());
  EXPECT_EQ(session.TakeActions(),
            (Actions{{Kind::kConnect, 5, 8065, ""}, {Kind::kConnect, 7, 8065, ""}}));
  client.Read(session.TakeOutput());
  session.OnPodError(7, "boom");
  session.OnPodData(5, "ok");
  EXPECT_EQ(client.Read(session.TakeOutput()),
            (Lines{"DATA 1 'boom'", "DATA 7 FIN ''", "DATA 1 FIN ''", "DATA 5 'ok'"}));
}

TEST(SpdyPortForwardSession, OldClientsWithoutRequestIdPairByStreamId) {
  PortForwardSession session;
  FakeKubectl client;
  ASSERT_TRUE(session
                  .Feed(Join({client.OpenStream(5, "error", "80", ""),
                              client.OpenStream(7, "data", "80", "")}))
                  .ok());
  EXPECT_EQ(session.TakeActions(), (Actions{{Kind::kConnect, 7, 80, ""}}));
}

TEST(SpdyPortForwardSession, ResetClosesThePodConnection) {
  PortForwardSession session;
  FakeKubectl client;
  ASSERT_TRUE(session
                  .Feed(Join({client.OpenStream(1, "error", "8065", "0"),
                              client.OpenStream(3, "data", "8065", "0"),
                              EncodeRstStream(1, RstStatus::kCancel)}))
                  .ok());
  EXPECT_EQ(session.TakeActions(),
            (Actions{{Kind::kConnect, 3, 8065, ""}, {Kind::kClose, 3, 0, ""}}));
  EXPECT_EQ(session.open_connections(), 0u);
  session.OnPodData(3, "dropped");
  client.Read(session.TakeOutput());  // the two replies
  EXPECT_TRUE(session.TakeOutput().empty());
}

TEST(SpdyPortForwardSession, BadStreamsAreRefused) {
  PortForwardSession session;
  FakeKubectl client;
  ASSERT_TRUE(session
                  .Feed(Join({client.OpenStream(1, "stdin", "8065", "0"),
                              client.OpenStream(3, "data", "0", "0"),
                              client.OpenStream(5, "data", "http", "0"),
                              client.OpenStream(7, "error", "8065", "1"),
                              client.OpenStream(9, "error", "8065", "1")}))
                  .ok());
  EXPECT_EQ(client.Read(session.TakeOutput()),
            (Lines{"RST 1 3", "RST 3 3", "RST 5 3", "SYN_REPLY 7 headers=0", "RST 9 3"}));
  EXPECT_TRUE(session.TakeActions().empty());
}

TEST(SpdyPortForwardSession, LargePodDataIsCutIntoFrames) {
  PortForwardSession session;
  FakeKubectl client;
  ASSERT_TRUE(session
                  .Feed(Join({client.OpenStream(1, "error", "1", "0"),
                              client.OpenStream(3, "data", "1", "0")}))
                  .ok());
  client.Read(session.TakeOutput());
  std::string big(200 * 1024, 'b');
  session.OnPodData(3, big);
  EXPECT_GT(session.pending_output(), big.size());
  FrameReader reader;
  reader.Feed(session.TakeOutput());
  std::string received;
  int frames = 0;
  while (true) {
    auto next = reader.Next();
    ASSERT_TRUE(next.ok());
    if (!next->has_value()) break;
    EXPECT_LE((*next)->payload.size(), 64u * 1024);
    received += (*next)->payload;
    ++frames;
  }
  EXPECT_EQ(frames, 4);
  EXPECT_EQ(received, big);
}

TEST(SpdyPortForwardSession, BytesFedOneAtATimeGiveTheSameResult) {
  PortForwardSession session;
  FakeKubectl client;
  std::string wire =
      Join({client.OpenStream(1, "error", "8065", "0"), client.OpenStream(3, "data", "8065", "0"),
            EncodeDataFrame(3, 0, "abc"), EncodePing(3)});
  for (char byte : wire) ASSERT_TRUE(session.Feed(std::string_view(&byte, 1)).ok());
  EXPECT_EQ(session.TakeActions(),
            (Actions{{Kind::kConnect, 3, 8065, ""}, {Kind::kWrite, 3, 0, "abc"}}));
  EXPECT_EQ(client.Read(session.TakeOutput()),
            (Lines{"SYN_REPLY 1 headers=0", "SYN_REPLY 3 headers=0", "PING 3"}));
}

TEST(SpdyPortForwardSession, GoAwayAndIgnoredControlFrames) {
  PortForwardSession session;
  ASSERT_TRUE(
      session
          .Feed(Join({EncodeControlFrame(ControlType::kSettings, 0, std::string(4, '\0')),
                      EncodeControlFrame(ControlType::kWindowUpdate, 0, std::string(8, '\0'))}))
          .ok());
  EXPECT_FALSE(session.goaway_received());
  ASSERT_TRUE(session.Feed(EncodeGoAway(0, 0)).ok());
  EXPECT_TRUE(session.goaway_received());
  EXPECT_TRUE(session.TakeOutput().empty());
}

TEST(SpdyPortForwardSession, ProtocolErrorsEndTheSession) {
  PortForwardSession session;
  std::string bad_block = EncodeSynStream(SynStream{1, 0, 0, 0, "garbage"});
  auto result = session.Feed(bad_block);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message().find("malformed header block"), std::string::npos);
  auto again = session.Feed(EncodePing(1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message(), "spdy: session already failed");
}

// The kubelet gives a pair 30 s (its stream creation timeout) to get both streams; the driver
// times it, the session says what to watch and what happens then.
TEST(SpdyPortForwardSession, APairMissingItsDataStreamTimesOutLikeTheKubelet) {
  PortForwardSession session;
  FakeKubectl client;
  ASSERT_TRUE(session
                  .Feed(Join({client.OpenStream(1, "error", "8065", "0"),
                              client.OpenStream(3, "error", "8065", "1"),
                              client.OpenStream(5, "data", "8065", "1")}))
                  .ok());
  EXPECT_EQ(session.TakeNewPairs(), (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(session.TakeActions(), (Actions{{Kind::kConnect, 5, 8065, ""}}));
  EXPECT_EQ(client.Read(session.TakeOutput()).size(), 3u);  // the replies

  session.ExpirePair(3);  // complete: nothing happens
  session.ExpirePair(1);
  EXPECT_EQ(client.Read(session.TakeOutput()),
            (Lines{"DATA 1 '(conn=&{1}, request=0) timed out waiting for streams'"}));
  EXPECT_EQ(session.open_connections(), 1u);
  // A data stream arriving afterwards starts a new pair, watched again.
  ASSERT_TRUE(session.Feed(client.OpenStream(7, "data", "8065", "0")).ok());
  EXPECT_EQ(session.TakeNewPairs(), (std::vector<uint32_t>{7}));
  EXPECT_TRUE(session.TakeActions().empty());
  session.ExpirePair(7);  // no error stream to write to: the pair is just forgotten
  EXPECT_EQ(client.Read(session.TakeOutput()), (Lines{"SYN_REPLY 7 headers=0"}));
  EXPECT_EQ(session.open_connections(), 1u);
}

}  // namespace
}  // namespace sandbox::spdy
