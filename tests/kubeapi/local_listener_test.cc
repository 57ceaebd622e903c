#include "kubeapi/local_listener.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace mm::kubeapi {
namespace {

// Connects to 127.0.0.1:port; returns the socket or -1.
int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(LocalListenerTest, AnyPortAcceptsConnections) {
  auto listener = LocalListener::Listen("127.0.0.1", 0, false);
  ASSERT_TRUE(listener.ok()) << listener.error().message();
  EXPECT_GT(listener->port(), 0);
  EXPECT_FALSE(listener->fell_back());
  int client = Connect(listener->port());
  ASSERT_GE(client, 0);
  auto accepted = listener->Accept(nullptr);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message();
  ASSERT_EQ(::write(client, "ping", 4), 4);
  char buffer[4];
  ASSERT_EQ(::read(*accepted, buffer, 4), 4);
  EXPECT_EQ(std::string(buffer, 4), "ping");
  ::close(*accepted);
  ::close(client);
}

TEST(LocalListenerTest, ATakenPortFailsOrFallsBack) {
  auto first = LocalListener::Listen("127.0.0.1", 0, false);
  ASSERT_TRUE(first.ok());
  int taken = first->port();
  auto second = LocalListener::Listen("127.0.0.1", taken, false);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message(),
            "unable to listen on port " + std::to_string(taken) + ": bind: address already in use");
  auto fallback = LocalListener::Listen("127.0.0.1", taken, true);
  ASSERT_TRUE(fallback.ok()) << fallback.error().message();
  EXPECT_TRUE(fallback->fell_back());
  EXPECT_NE(fallback->port(), taken);
  EXPECT_GT(fallback->port(), 0);
}

TEST(LocalListenerTest, AddressesMustBeIpLiterals) {
  auto listener = LocalListener::Listen("example.com", 0, false);
  ASSERT_FALSE(listener.ok());
  EXPECT_EQ(listener.error().kind(), ErrorKind::kUsage);
  auto local = LocalListener::Listen("localhost", 0, false);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->address(), "127.0.0.1");
}

TEST(LocalListenerTest, AcceptStopsOnCancel) {
  auto listener = LocalListener::Listen("127.0.0.1", 0, false);
  ASSERT_TRUE(listener.ok());
  CancellationToken cancel;
  std::thread canceller([&] { cancel.Cancel(); });
  auto accepted = listener->Accept(&cancel);
  canceller.join();
  ASSERT_FALSE(accepted.ok());
  EXPECT_EQ(accepted.error().kind(), ErrorKind::kInterrupted);
}

}  // namespace
}  // namespace mm::kubeapi
