#include "tests/sandbox/channel_protocol.h"

#include <gtest/gtest.h>

namespace sandbox {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out += static_cast<char>(b);
  return out;
}

TEST(ChannelProtocolTest, ExecTakesTheClientsFirstSupportedOffer) {
  EXPECT_EQ(NegotiateExecProtocol({"v5.channel.k8s.io"})->name, "v5.channel.k8s.io");
  EXPECT_EQ(NegotiateExecProtocol({"v5.channel.k8s.io"})->version, 5);
  auto v4 = NegotiateExecProtocol({"v9.channel.k8s.io", "v4.channel.k8s.io", "v5.channel.k8s.io"});
  EXPECT_EQ(v4->name, "v4.channel.k8s.io");
  EXPECT_EQ(v4->version, 4);
  auto base64 = NegotiateExecProtocol({"v4.base64.channel.k8s.io"});
  EXPECT_TRUE(base64->base64);
  auto none = NegotiateExecProtocol({});
  EXPECT_EQ(none->name, "");
  EXPECT_EQ(none->version, 1);
  auto bad = NegotiateExecProtocol({"SPDY/3.1+portforward.k8s.io"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().status()->code, 400);
  EXPECT_EQ(bad.error().message(),
            "requested protocol(s) are not supported: [SPDY/3.1+portforward.k8s.io]; supports "
            "[v5.channel.k8s.io v4.channel.k8s.io v4.base64.channel.k8s.io channel.k8s.io "
            "base64.channel.k8s.io]");
}

TEST(ChannelProtocolTest, PortForwardSkipsV5) {
  EXPECT_EQ(NegotiatePortForwardProtocol({"v5.channel.k8s.io", "v4.channel.k8s.io"})->name,
            "v4.channel.k8s.io");
  EXPECT_TRUE(NegotiatePortForwardProtocol({"v4.base64.channel.k8s.io"})->base64);
  EXPECT_EQ(NegotiatePortForwardProtocol({})->name, "");
  EXPECT_FALSE(NegotiatePortForwardProtocol({"v5.channel.k8s.io"}).ok());
}

TEST(ChannelProtocolTest, MessagesCarryTheChannelFirst) {
  ChannelProtocol binary{"v4.channel.k8s.io", 4, false};
  EXPECT_EQ(EncodeChannelMessage(binary, 1, "hi"), Bytes({1, 'h', 'i'}));
  ChannelProtocol base64{"v4.base64.channel.k8s.io", 4, true};
  EXPECT_EQ(EncodeChannelMessage(base64, 1, "hi"), "1aGk=");
  uint8_t channel = 9;
  std::string payload;
  ASSERT_TRUE(DecodeChannelMessage(binary, Bytes({255, 0}), &channel, &payload));
  EXPECT_EQ(channel, 255);
  EXPECT_EQ(payload, Bytes({0}));
  ASSERT_TRUE(DecodeChannelMessage(base64, "0aGk=", &channel, &payload));
  EXPECT_EQ(channel, 0);
  EXPECT_EQ(payload, "hi");
  EXPECT_FALSE(DecodeChannelMessage(binary, "", &channel, &payload));
  EXPECT_FALSE(DecodeChannelMessage(base64, "x", &channel, &payload));
  EXPECT_FALSE(DecodeChannelMessage(base64, "0!!", &channel, &payload));
}

TEST(ChannelProtocolTest, PortPreambleIsTheLittleEndianPort) {
  ChannelProtocol binary{"v4.channel.k8s.io", 4, false};
  EXPECT_EQ(PortPreamble(binary, 2, 8065), Bytes({2, 0x81, 0x1f}));
  EXPECT_EQ(PortPreamble(binary, 3, 9999), Bytes({3, 0x0f, 0x27}));
  ChannelProtocol base64{"v4.base64.channel.k8s.io", 4, true};
  EXPECT_EQ(PortPreamble(base64, 0, 8065), "0gR8=");
}

mm::Result<std::vector<uint16_t>> Ports(const std::string& query) {
  Request request;
  request.query = ParseQuery(query);
  return ParseForwardedPorts(request);
}

TEST(ChannelProtocolTest, PortsAreRepeatedOrCommaSeparated) {
  EXPECT_EQ(*Ports("ports=8065,8067&ports=9999"), (std::vector<uint16_t>{8065, 8067, 9999}));
  EXPECT_EQ(*Ports("port=1&ports=65535"), (std::vector<uint16_t>{1, 65535}));
  EXPECT_EQ(Ports("").error().message(), "query parameter \"port\" is required");
  EXPECT_EQ(Ports("ports=").error().message(), "query parameter \"port\" cannot be empty");
  EXPECT_EQ(Ports("ports=80,x").error().message(), "unable to parse \"80,x\" as a port");
  EXPECT_EQ(Ports("ports=65536").error().message(), "unable to parse \"65536\" as a port");
  EXPECT_EQ(Ports("ports=0").error().message(), "port \"0\" must be > 0");
}

TEST(ChannelProtocolTest, ExecStatusCarriesTheExitCode) {
  EXPECT_EQ(ExecStatusJson(0, "echo hi"), R"({"metadata":{},"status":"Success"})");
  EXPECT_EQ(ExecStatusJson(3, "sh -c exit 3"),
            R"({"metadata":{},"status":"Failure","message":"command terminated with non-zero )"
            R"(exit code: command 'sh -c exit 3' exited with 3","reason":"NonZeroExitCode",)"
            R"("details":{"causes":[{"reason":"ExitCode","message":"3"}]}})");
}

}  // namespace
}  // namespace sandbox
