#include "kubeapi/pod_logs.h"

namespace mm::kubeapi {

QueryParams PodLogQuery(const PodLogOptions& options) {
  QueryParams query;
  if (!options.container.empty()) query.emplace_back("container", options.container);
  if (options.follow) query.emplace_back("follow", "true");
  if (options.previous) query.emplace_back("previous", "true");
  if (options.since_seconds) {
    query.emplace_back("sinceSeconds", std::to_string(*options.since_seconds));
  } else if (!options.since_time.empty()) {
    query.emplace_back("sinceTime", options.since_time);
  }
  if (options.tail_lines) query.emplace_back("tailLines", std::to_string(*options.tail_lines));
  if (options.timestamps) query.emplace_back("timestamps", "true");
  return query;
}

bool LineSplitter::Feed(std::string_view chunk,
                        const std::function<bool(std::string_view)>& on_line) {
  size_t start = 0;
  for (size_t newline = chunk.find('\n'); newline != std::string_view::npos;
       newline = chunk.find('\n', start)) {
    std::string_view piece = chunk.substr(start, newline - start);
    start = newline + 1;
    std::string_view line = piece;
    if (!partial_.empty()) {
      partial_.append(piece);
      line = partial_;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool more = on_line(line);
    partial_.clear();
    if (!more) return false;
  }
  partial_.append(chunk.substr(start));
  return true;
}

bool LineSplitter::Finish(const std::function<bool(std::string_view)>& on_line) {
  if (partial_.empty()) return true;
  std::string last = std::move(partial_);
  partial_.clear();
  return on_line(last);
}

Result<void> StreamPodLogs(RestClient& client, const std::string& namespace_name,
                           const std::string& pod, const PodLogOptions& options,
                           const std::function<bool(std::string_view line)>& on_line,
                           const CancellationToken* cancel) {
  static const ResourceMapping kPods{"", "v1", "pods", "Pod", true};
  LineSplitter splitter;
  bool stopped = false;
  RestRequest request{.path = ResourcePath(kPods, namespace_name, pod, "log"),
                      .query = PodLogQuery(options),
                      .accept = "application/json, */*",
                      .streaming = options.follow,
                      .on_body =
                          [&](std::string_view chunk) {
                            stopped = !splitter.Feed(chunk, on_line);
                            return !stopped;
                          },
                      .cancel = cancel};
  Result<HttpResponse> response = client.Do(request);
  if (!response) return std::move(response).error();
  if (!stopped) splitter.Finish(on_line);
  return {};
}

}  // namespace mm::kubeapi
