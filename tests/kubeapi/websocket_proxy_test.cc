// WebSocket streams (exec, port-forward) are dialled through the same proxy choice as REST: the
// environment's HTTPS_PROXY when the kubeconfig names no proxy-url (a gap issue 5 left).
#include <gtest/gtest.h>

#include "kubeapi/websocket.h"
#include "tests/kubeapi/fakes.h"
#include "tests/kubeapi/loopback_servers.h"

namespace mm::kubeapi {
namespace {

using testing::RecordingTransport;
using testing::ScopedEnv;
using testing::ScriptedServer;

TEST(WebSocketProxyTest, StreamsUseHttpsProxyFromTheEnvironment) {
  ScriptedServer proxy(
      {{"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"}});
  std::string address = "127.0.0.1:" + std::to_string(proxy.port());
  WebSocketTransport transport(std::make_unique<RecordingTransport>(),
                               NetworkOptions{.user_agent = "test"});
  HttpResponse response;
  {
    ScopedEnv https_proxy("HTTPS_PROXY", "http://" + address);
    response = transport.RoundTrip({.url = "https://10.0.0.1:6443/api/v1/namespaces/a/pods/p/exec",
                                    .timeout = std::chrono::seconds(30),
                                    .websocket_protocols = {"v4.channel.k8s.io"}});
  }
  proxy.Join();
  EXPECT_EQ(proxy.request().rfind("CONNECT 10.0.0.1:6443 HTTP/1.1\r\n", 0), 0u) << proxy.request();
  EXPECT_EQ(response.failure, NetworkFailure::kOther);
  EXPECT_EQ(response.failure_message, "Unable to connect to the server: proxy " + address +
                                          " refused the tunnel (CONNECT answered 407)");
}

TEST(WebSocketProxyTest, LoopbackServersAreDialledDirectly) {
  ScriptedServer proxy({});
  testing::SilentListener closed;
  const int port = closed.port();
  closed.Close();
  WebSocketTransport transport(std::make_unique<RecordingTransport>(),
                               NetworkOptions{.user_agent = "test"});
  HttpResponse response;
  {
    ScopedEnv https_proxy("HTTPS_PROXY", "http://127.0.0.1:" + std::to_string(proxy.port()));
    response = transport.RoundTrip({.url = "https://127.0.0.1:" + std::to_string(port) + "/exec",
                                    .timeout = std::chrono::seconds(30),
                                    .websocket_protocols = {"v4.channel.k8s.io"}});
  }
  EXPECT_EQ(response.failure, NetworkFailure::kConnect);
  EXPECT_EQ(response.failure_message,
            "The connection to the server 127.0.0.1:" + std::to_string(port) +
                " was refused - did you specify the right host or port?");
}

}  // namespace
}  // namespace mm::kubeapi
