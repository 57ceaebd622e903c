// The protocols the simulated mattermost/* ports speak: a tiny HTTP/1.1 server (ping on 8065,
// Prometheus metrics on 8067) and the bulk byte stream (9999) for throughput benchmarks.
#include "tests/sandbox/sim/workload_protocols.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace sandbox::sim {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The value of header `name` (lower-case) in a raw header block, or "".
std::string Header(std::string_view head, std::string_view name) {
  size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    size_t end = head.find("\r\n", pos + 2);
    std::string_view line =
        head.substr(pos + 2, end == std::string_view::npos ? end : end - pos - 2);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && Lower(line.substr(0, colon)) == name) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return std::string(value);
    }
    pos = end;
  }
  return "";
}

class HttpWorkload : public WorkloadProtocol {
 public:
  HttpWorkload(PortKind kind, std::string version) : kind_(kind), version_(std::move(version)) {}

  void Receive(std::string_view bytes) override {
    DropProduced();
    if (closing_) return;
    input_.append(bytes);
    while (!closing_) {
      size_t end = input_.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (input_.size() > 64 * 1024) Respond(431, "text/plain", "header too large\n", true);
        return;
      }
      std::string head = input_.substr(0, end);
      size_t body = std::strtoull(Header(head, "content-length").c_str(), nullptr, 10);
      if (input_.size() < end + 4 + body) return;
      input_.erase(0, end + 4 + body);
      Serve(head);
    }
  }
  void ReceiveEnd() override { closing_ = true; }
  std::string_view Produce(size_t max) override {
    DropProduced();
    produced_ = std::min(max, output_.size());
    return std::string_view(output_).substr(0, produced_);
  }
  bool Finished() const override { return closing_ && output_.size() == produced_; }

 private:
  // Forgets the output handed out by the last Produce (its caller is done with it).
  void DropProduced() {
    output_.erase(0, produced_);
    produced_ = 0;
  }

  void Serve(const std::string& head) {
    std::string line = head.substr(0, head.find("\r\n"));
    size_t sp1 = line.find(' ');
    size_t sp2 = line.rfind(' ');
    if (sp1 == std::string::npos || sp2 <= sp1) {
      Respond(400, "text/plain", "bad request\n", true);
      return;
    }
    std::string method = line.substr(0, sp1);
    std::string path = line.substr(sp1 + 1, sp2 - sp1 - 1);
    path = path.substr(0, path.find('?'));
    std::string connection = Lower(Header(head, "connection"));
    bool close =
        line.substr(sp2 + 1) == "HTTP/1.0" ? connection != "keep-alive" : connection == "close";
    if (method == "GET" && kind_ == PortKind::kMattermostHttp && path == "/api/v4/system/ping") {
      Respond(200, "application/json", R"({"status":"OK","version":")" + version_ + "\"}", close);
    } else if (method == "GET" && kind_ == PortKind::kMetrics && path == "/metrics") {
      Respond(200, "text/plain; version=0.0.4; charset=utf-8", Metrics(), close);
    } else if (kind_ == PortKind::kMattermostHttp) {
      Respond(404, "application/json",
              R"({"id":"api.context.404.app_error","message":"Sorry, we could not find the page.",)"
              R"("detailed_error":"","status_code":404})",
              close);
    } else {
      Respond(404, "text/plain; charset=utf-8", "404 page not found\n", close);
    }
  }

  std::string Metrics() {
    ++scrapes_;
    return "# HELP mattermost_system_server_version The server version.\n"
           "# TYPE mattermost_system_server_version gauge\n"
           "mattermost_system_server_version{version=\"" +
           version_ +
           "\"} 1\n"
           "# HELP mattermost_http_websockets_total The number of open websocket connections.\n"
           "# TYPE mattermost_http_websockets_total gauge\n"
           "mattermost_http_websockets_total 0\n"
           "# HELP mattermost_metrics_scrapes_total Scrapes served on this connection.\n"
           "# TYPE mattermost_metrics_scrapes_total counter\n"
           "mattermost_metrics_scrapes_total " +
           std::to_string(scrapes_) + "\n";
  }

  void Respond(int code, const std::string& type, const std::string& body, bool close) {
    const char* reason = code == 200   ? "OK"
                         : code == 404 ? "Not Found"
                         : code == 400 ? "Bad Request"
                                       : "Request Header Fields Too Large";
    output_ += "HTTP/1.1 " + std::to_string(code) + " " + reason + "\r\nContent-Type: " + type +
               "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
               (close ? "Connection: close\r\n" : "") + "\r\n" + body;
    if (close) closing_ = true;
  }

  PortKind kind_;
  std::string version_;
  std::string input_, output_;
  size_t produced_ = 0;  // the front of output_ that the last Produce returned
  bool closing_ = false;
  int scrapes_ = 0;
};

class BulkWorkload : public WorkloadProtocol {
 public:
  void Receive(std::string_view bytes) override {
    if (started_ || finished_) return;
    line_.append(bytes);
    size_t newline = line_.find('\n');
    if (newline == std::string::npos) {
      if (line_.size() > 64) Fail();
      return;
    }
    std::string digits = line_.substr(0, newline);
    while (!digits.empty() && (digits.back() == '\r' || digits.back() == ' ')) digits.pop_back();
    if (digits == "hold") {
      holding_ = true;
      return;
    }
    bool valid = !digits.empty() && digits.size() <= 13 &&
                 std::all_of(digits.begin(), digits.end(),
                             [](unsigned char c) { return std::isdigit(c) != 0; });
    if (!valid) {
      Fail();
      return;
    }
    started_ = true;
    remaining_ = std::strtoull(digits.c_str(), nullptr, 10);
  }
  void ReceiveEnd() override {
    if (!started_) finished_ = true;
  }
  std::string_view Produce(size_t max) override {
    if (error_sent_) error_.clear();
    if (!error_.empty()) {
      error_sent_ = true;
      return error_;
    }
    if (!started_) return {};
    // One block of the pattern, as long as the largest chunk from any offset: output is a view
    // into it, never computed or copied per chunk.
    static const std::string kBlock = [] {
      std::string block(kMaxChunk + 26, '\0');
      for (size_t i = 0; i < block.size(); ++i) block[i] = BulkPatternByte(i);
      return block;
    }();
    size_t n = static_cast<size_t>(std::min<uint64_t>({max, remaining_, kMaxChunk}));
    std::string_view out = std::string_view(kBlock).substr(static_cast<size_t>(sent_ % 26), n);
    sent_ += n;
    remaining_ -= n;
    if (remaining_ == 0) finished_ = true;
    return out;
  }
  bool Finished() const override { return finished_ && (error_.empty() || error_sent_); }
  bool Holding() const override { return holding_; }

 private:
  void Fail() {
    error_ = "error: send a decimal byte count and a newline\n";
    finished_ = true;
  }

  static constexpr size_t kMaxChunk = 256 * 1024;
  std::string line_, error_;
  bool error_sent_ = false;  // Produce returned error_ (dropped on the next call)
  bool started_ = false, finished_ = false, holding_ = false;
  uint64_t remaining_ = 0, sent_ = 0;
};

}  // namespace

std::unique_ptr<WorkloadProtocol> MakeWorkloadProtocol(PortKind kind, const std::string& version) {
  if (kind == PortKind::kBulk) return std::make_unique<BulkWorkload>();
  return std::make_unique<HttpWorkload>(kind, version);
}

}  // namespace sandbox::sim
