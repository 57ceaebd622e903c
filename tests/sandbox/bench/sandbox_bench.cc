// Load generator for kube-sandbox: small creates/s, GET/s and memory for N stored objects.
// Each thread keeps one NativeTransport (one keep-alive TLS connection). Not part of the tests;
// scripts/bench-sandbox runs it.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kubeapi/native_transport.h"

namespace {

struct Options {
  std::string server, ca_file, token;
  int threads = 2;
  int objects = 10000;
  double seconds = 3;
  long pid = 0;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// One keep-alive connection to the sandbox.
class Client {
 public:
  explicit Client(const Options& o)
      : transport_(mm::kubeapi::NetworkOptions{.tls = {.ca_pem = ReadFile(o.ca_file)},
                                               .user_agent = "sandbox_bench"}),
        token_(o.token) {}

  // Returns the HTTP status (0 on a transport error).
  long Send(const std::string& url, const std::string* body) {
    mm::kubeapi::HttpRequest request{.method = body != nullptr ? "POST" : "GET", .url = url};
    request.headers = {{"Authorization", "Bearer " + token_},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
    if (body != nullptr) request.body = *body;
    mm::kubeapi::HttpResponse response = transport_.RoundTrip(request);
    bytes_ += response.body.size();
    return response.failure == mm::kubeapi::NetworkFailure::kNone ? response.status : 0;
  }
  size_t bytes() const { return bytes_; }

 private:
  mm::kubeapi::NativeTransport transport_;
  std::string token_;
  size_t bytes_ = 0;
};

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

long RssKiB(long pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

int Run(const Options& o) {
  const std::string base = o.server + "/api/v1/namespaces/default/configmaps";
  long rss_before = o.pid ? RssKiB(o.pid) : 0;
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < o.threads; ++t) {
    workers.emplace_back([&] {
      Client client(o);
      for (int i; (i = next++) < o.objects;) {
        std::string body = R"({"metadata":{"name":"bench-)" + std::to_string(i) +
                           R"(","labels":{"app":"bench"}},"data":{"key":"value-)" +
                           std::to_string(i) + "\"}}";
        if (client.Send(base, &body) != 201) ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  double create_seconds = Since(start);
  std::printf("creates: %d small configmaps in %.2f s = %.0f/s (%d connections, %d failed)\n",
              o.objects, create_seconds, o.objects / create_seconds, o.threads, failures.load());
  if (o.pid) {
    long rss = RssKiB(o.pid);
    std::printf(
        "memory: kube-sandbox RSS %.1f MiB with %d objects stored (%.1f MiB at start, "
        "%.2f KiB per object)\n",
        rss / 1024.0, o.objects, rss_before / 1024.0,
        static_cast<double>(rss - rss_before) / o.objects);
  }

  std::atomic<long> gets{0};
  std::atomic<bool> stop{false};
  workers.clear();
  start = std::chrono::steady_clock::now();
  for (int t = 0; t < o.threads; ++t) {
    workers.emplace_back([&, t] {
      Client client(o);
      std::string url = base + "/bench-" + std::to_string(t);
      while (!stop) {
        if (client.Send(url, nullptr) == 200) {
          ++gets;
        } else {
          ++failures;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& w : workers) w.join();
  double get_seconds = Since(start);
  std::printf("GET: %ld in %.2f s = %.0f/s (%d connections)\n", gets.load(), get_seconds,
              gets / get_seconds, o.threads);

  Client client(o);
  start = std::chrono::steady_clock::now();
  long code = client.Send(base + "?labelSelector=app%3Dbench", nullptr);
  std::printf("LIST: %d objects in %.0f ms, %.1f MB of JSON (HTTP %ld)\n", o.objects,
              Since(start) * 1000, client.bytes() / 1e6, code);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--server") o.server = value;
    if (flag == "--ca") o.ca_file = value;
    if (flag == "--token") o.token = value;
    if (flag == "--threads") o.threads = std::atoi(value.c_str());
    if (flag == "--objects") o.objects = std::atoi(value.c_str());
    if (flag == "--seconds") o.seconds = std::atof(value.c_str());
    if (flag == "--pid") o.pid = std::atol(value.c_str());
  }
  if (o.server.empty() || o.ca_file.empty() || o.token.empty()) {
    std::fprintf(stderr,
                 "usage: sandbox_bench --server URL --ca FILE --token TOKEN [--threads N] "
                 "[--objects N] [--seconds S] [--pid SANDBOX_PID]\n");
    return 2;
  }
  return Run(o);
}
