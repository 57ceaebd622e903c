#include "tests/sandbox/spdy/remote_command_session.h"

#include <gtest/gtest.h>

#include "tests/sandbox/spdy/fake_kubectl.h"

namespace sandbox::spdy {
namespace {

using fake::FakeKubectl;
using fake::Join;
using Kind = RemoteCommandEvent::Kind;
using Events = std::vector<RemoteCommandEvent>;
using Lines = std::vector<std::string>;

HeaderList Type(const std::string& type) { return {{"streamtype", type}}; }

// client-go's order: error, stdin, stdout, stderr (not with a TTY), resize (TTY, v3+), each one
// after the previous one's SYN_REPLY.
TEST(SpdyRemoteCommandSession, StartsOnceEveryRequestedStreamIsOpen) {
  RemoteCommandSession session({.in = false, .out = true, .err = true, .resize = false});
  FakeKubectl client;
  ASSERT_TRUE(session.Feed(client.OpenStream(1, Type("error"))).ok());
  ASSERT_TRUE(session.Feed(client.OpenStream(3, Type("stdout"))).ok());
  EXPECT_FALSE(session.ready());
  EXPECT_TRUE(session.TakeEvents().empty());
  ASSERT_TRUE(session.Feed(client.OpenStream(5, Type("stderr"))).ok());
  EXPECT_TRUE(session.ready());
  EXPECT_EQ(session.TakeEvents(), (Events{{Kind::kReady, ""}}));
  EXPECT_EQ(client.Read(session.TakeOutput()),
            (Lines{"SYN_REPLY 1 headers=0", "SYN_REPLY 3 headers=0", "SYN_REPLY 5 headers=0"}));

  session.Write(StdStream::kStdout, "hi\n");
  session.Write(StdStream::kStderr, "oops\n");
  session.Finish(R"({"metadata":{},"status":"Success"})");
  session.Write(StdStream::kStdout, "late");  // dropped: the session is over
  EXPECT_EQ(
      client.Read(session.TakeOutput()),
      (Lines{"DATA 3 'hi\n'", "DATA 5 'oops\n'", R"(DATA 1 '{"metadata":{},"status":"Success"}')",
             "DATA 1 FIN ''", "DATA 3 FIN ''", "DATA 5 FIN ''", "GOAWAY 5"}));
}

TEST(SpdyRemoteCommandSession, CarriesStdinUntilItsFin) {
  RemoteCommandSession session({.in = true, .out = true, .err = false, .resize = false});
  FakeKubectl client;
  ASSERT_TRUE(
      session
          .Feed(Join({client.OpenStream(1, Type("error")), client.OpenStream(3, Type("stdin")),
                      client.OpenStream(5, Type("stdout")), EncodeDataFrame(3, 0, "a\n"),
                      EncodeDataFrame(3, kFlagFin, "b"), EncodeDataFrame(3, 0, "after")}))
          .ok());
  EXPECT_EQ(
      session.TakeEvents(),
      (Events{
          {Kind::kReady, ""}, {Kind::kStdin, "a\n"}, {Kind::kStdin, "b"}, {Kind::kStdinEnd, ""}}));
  // stderr was not requested: its output goes nowhere.
  session.TakeOutput();
  session.Write(StdStream::kStderr, "ignored");
  EXPECT_TRUE(session.TakeOutput().empty());
}

TEST(SpdyRemoteCommandSession, TtyAddsTheResizeStreamAndAStdinResetEndsInput) {
  RemoteCommandSession session({.in = true, .out = true, .err = false, .resize = true});
  FakeKubectl client;
  ASSERT_TRUE(
      session
          .Feed(Join({client.OpenStream(1, Type("error")), client.OpenStream(3, Type("stdin")),
                      client.OpenStream(5, Type("stdout")),
                      // unknown types are answered and ignored, as by the kubelet
                      client.OpenStream(7, Type("bogus"))}))
          .ok());
  EXPECT_TRUE(session.TakeEvents().empty());
  ASSERT_TRUE(session
                  .Feed(Join({client.OpenStream(9, Type("resize")),
                              EncodeDataFrame(9, 0, "{\"Width\":80,\"Height\":24}\n"),
                              EncodeRstStream(3, RstStatus::kCancel), EncodePing(3)}))
                  .ok());
  EXPECT_EQ(session.TakeEvents(), (Events{{Kind::kReady, ""},
                                          {Kind::kResize, "{\"Width\":80,\"Height\":24}\n"},
                                          {Kind::kStdinEnd, ""}}));
  EXPECT_EQ(client.Read(session.TakeOutput()),
            (Lines{"SYN_REPLY 1 headers=0", "SYN_REPLY 3 headers=0", "SYN_REPLY 5 headers=0",
                   "SYN_REPLY 7 headers=0", "SYN_REPLY 9 headers=0", "PING 3"}));
  EXPECT_FALSE(session.goaway_received());
  ASSERT_TRUE(session.Feed(EncodeGoAway(9, 0)).ok());
  EXPECT_TRUE(session.goaway_received());
}

TEST(SpdyRemoteCommandSession, FailsOnAnotherSpdyVersion) {
  RemoteCommandSession session({.in = false, .out = true, .err = false, .resize = false});
  EXPECT_FALSE(session.Feed(std::string("\x80\x02\x00\x01\x00\x00\x00\x00", 8)).ok());
  EXPECT_FALSE(session.Feed("").ok());  // the connection cannot continue
}

}  // namespace
}  // namespace sandbox::spdy
