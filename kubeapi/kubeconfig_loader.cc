#include "kubeapi/kubeconfig_loader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "kubeapi/file_util.h"

namespace mm::kubeapi {
namespace {

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at start-up only
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

LoadingRules LoadingRulesFromEnvironment(const std::string& explicit_path) {
  return {explicit_path, EnvOrEmpty("KUBECONFIG"), EnvOrEmpty("HOME")};
}

std::vector<std::string> KubeconfigPrecedence(const LoadingRules& rules) {
  if (!rules.explicit_path.empty()) return {rules.explicit_path};
  std::vector<std::string> files;
  if (!rules.kubeconfig_env.empty()) {
    size_t start = 0;
    while (start <= rules.kubeconfig_env.size()) {
      size_t end = rules.kubeconfig_env.find(':', start);
      if (end == std::string::npos) end = rules.kubeconfig_env.size();
      std::string entry = rules.kubeconfig_env.substr(start, end - start);
      if (!entry.empty() && std::find(files.begin(), files.end(), entry) == files.end()) {
        files.push_back(entry);
      }
      start = end + 1;
    }
    return files;
  }
  if (!rules.home.empty()) files.push_back(rules.home + "/.kube/config");
  return files;
}

Result<Kubeconfig> LoadKubeconfig(const LoadingRules& rules) {
  if (!rules.explicit_path.empty()) {
    struct stat info {};
    if (::stat(rules.explicit_path.c_str(), &info) != 0) {
      return Error::Config("stat " + rules.explicit_path + ": " + GoErrnoText(errno));
    }
  }
  Kubeconfig merged;
  for (const std::string& path : KubeconfigPrecedence(rules)) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 && errno == ENOENT) continue;
    Result<std::string> text = ReadFileContents(path);
    if (!text) {
      return Error::Config("error loading config file \"" + path + "\": " + text.error().message());
    }
    Result<Kubeconfig> config = ParseKubeconfig(*text, path);
    if (!config) return std::move(config).error();
    MergeKubeconfig(merged, std::move(*config));
  }
  return merged;
}

}  // namespace mm::kubeapi
