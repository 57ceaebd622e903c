#include "tests/sandbox/sim/images.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace sandbox::sim {
namespace {

std::string Repository(const std::string& image) {
  std::string name = image.substr(0, image.find('@'));
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    name.resize(colon);
  }
  return name;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string LastComponent(const std::string& repository) {
  size_t slash = repository.rfind('/');
  return slash == std::string::npos ? repository : repository.substr(slash + 1);
}

std::vector<std::string> MigrationLines(const std::string& version, bool fail) {
  std::vector<std::string> lines = {
      R"({"level":"info","msg":"Server is initializing...","go_version":"go1.22.5"})",
      R"({"level":"info","msg":"Pinging SQL","database":"master"})",
      R"({"level":"info","msg":"Starting migration","version":")" + version + R"("})",
      R"({"level":"info","msg":"Applying migration","name":"000121_create_posts_priority"})",
      R"({"level":"info","msg":"Applying migration","name":"000122_add_channel_bookmarks"})",
  };
  if (fail) {
    lines.push_back(
        R"({"level":"error","msg":"Failed to apply database migrations","error":"migration 000123_alter_threads failed: pq: deadlock detected"})");
  } else {
    lines.push_back(R"({"level":"info","msg":"Migrations completed","applied":2})");
  }
  return lines;
}

}  // namespace

void GenerateLogLines(int64_t generated_bytes, const std::function<void(std::string)>& line) {
  static const std::string kFiller(72, 'x');
  int64_t written = 0;
  for (int64_t n = 1; written < generated_bytes; ++n) {
    char head[40];
    std::snprintf(head, sizeof head, "biglog line %012lld ", static_cast<long long>(n));
    std::string text = head + kFiller;  // 25 + 72 characters, 98 bytes with the newline
    written += static_cast<int64_t>(text.size()) + 1;
    line(std::move(text));
  }
}

std::string ImageTag(const std::string& image) {
  std::string name = image.substr(0, image.find('@'));
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "latest";
  return name.substr(colon + 1);
}

std::string NormalizeImage(const std::string& image) {
  std::string repository = Repository(image);
  size_t slash = repository.find('/');
  bool has_domain = slash != std::string::npos && (repository.find_first_of(".:", 0) < slash ||
                                                   repository.rfind("localhost", 0) == 0);
  std::string out = repository;
  if (!has_domain) {
    out = "docker.io/" + std::string(slash == std::string::npos ? "library/" : "") + repository;
  }
  return out + ":" + ImageTag(image);
}

std::string ImageId(const std::string& image) {
  std::string normalized = NormalizeImage(image);
  std::string hex;
  uint64_t hash = 1469598103934665603ull;
  for (int round = 0; round < 4; ++round) {
    for (unsigned char c : normalized) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    char part[17];
    std::snprintf(part, sizeof part, "%016llx", static_cast<unsigned long long>(hash));
    hex += part;
  }
  return Repository(normalized) + "@sha256:" + hex;
}

Behaviour BehaviourOf(const std::string& image, const std::vector<std::string>& command,
                      const std::vector<std::string>& args) {
  std::string repository = Repository(image);
  std::string tag = ImageTag(image);
  std::string line = Join(command);
  line += (line.empty() || args.empty() ? "" : " ") + Join(args);
  if (repository.rfind("missing/", 0) == 0) return {Program::kPullFail, {}, 0};
  if (size_t big = tag.find("biglog-"); big != std::string::npos) {
    int64_t mebibytes = std::atoll(tag.c_str() + big + 7);
    return {Program::kJob,
            {"biglog: " + std::to_string(mebibytes) + " MiB written"},
            0,
            mebibytes * 1024 * 1024};
  }
  if (tag.find("crashloop") != std::string::npos) {
    return {Program::kCrashLoop, {"starting " + repository, "fatal: exiting with status 1"}, 1};
  }
  if (tag.find("never-ready") != std::string::npos) {
    return {Program::kNeverReady, {"starting " + repository + ", waiting for a dependency"}, 0};
  }
  std::string base = LastComponent(repository);
  if (repository.rfind("mattermost/mattermost-operator", 0) == 0) {
    return {Program::kServer,
            {R"({"level":"info","msg":"Starting Mattermost Operator","version":")" + tag + "\"}",
             R"({"level":"info","msg":"Starting workers","controller":"mattermost"})"},
            0};
  }
  if (repository.rfind("mattermost/", 0) == 0) {
    if (line.find("db migrate") != std::string::npos) {
      bool fail = tag.find("fail") != std::string::npos;
      return {Program::kJob, MigrationLines(tag, fail), fail ? 1 : 0};
    }
    return {
        Program::kServer,
        {R"({"level":"info","msg":"Server is initializing...","version":")" + tag + "\"}",
         R"({"level":"info","msg":"Starting Server..."})",
         R"({"level":"info","msg":"Server is listening on [::]:8065","address":"[::]:8065"})",
         R"({"level":"info","msg":"Metrics and profiling server is started","address":":8067"})"},
        0};
  }
  if (base == "busybox" || base == "alpine") {
    std::vector<std::string> lines;
    if (!line.empty()) lines.push_back(line);
    return {Program::kJob, lines, 0};
  }
  return {Program::kServer, {"starting " + repository + ":" + tag}, 0};
}

std::vector<ServedPort> ServedPorts(const std::string& image, const Behaviour& behaviour) {
  std::string repository = Repository(image);
  if (behaviour.program != Program::kServer || repository.rfind("mattermost/", 0) != 0 ||
      repository.rfind("mattermost/mattermost-operator", 0) == 0) {
    return {};
  }
  return {{kMattermostHttpPort, PortKind::kMattermostHttp},
          {kMetricsPort, PortKind::kMetrics},
          {kBulkPort, PortKind::kBulk}};
}

}  // namespace sandbox::sim
