#include "kubeapi/discovery_cache.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <system_error>

#include "kubeapi/file_util.h"

namespace mm::kubeapi {
namespace {

namespace fs = std::filesystem;

bool SafePathComponent(const std::string& name, bool may_be_empty) {
  if (name.empty()) return may_be_empty;
  if (name == "." || name == "..") return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string ResourcesFile(const DiscoveredGroupVersion& group_version) {
  return group_version.GroupVersion() + "/serverresources.json";
}

// Returns the file's content when it exists and was written less than `ttl` ago.
std::optional<std::string> ReadFresh(const fs::path& path, std::chrono::seconds ttl) {
  std::error_code error;
  fs::file_time_type written = fs::last_write_time(path, error);
  if (error || fs::file_time_type::clock::now() - written > ttl) return std::nullopt;
  Result<std::string> content = ReadFileContents(path.string());
  if (!content) return std::nullopt;
  return std::move(*content);
}

// Writes `content` to `path` through a temp file in the same directory, so a reader never sees
// a half-written file; files are 0660 in 0750 directories, as kubectl's.
bool WriteAtomically(const fs::path& path, const std::string& content) {
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  if (error) return false;
  fs::permissions(path.parent_path(),
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec, error);
  static thread_local std::mt19937_64 random{std::random_device{}()};
  fs::path temp = path;
  temp += "." + std::to_string(::getpid()) + "." + std::to_string(random()) + ".tmp";
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    file << content;
    if (!file.flush()) {
      fs::remove(temp, error);
      return false;
    }
  }
  fs::permissions(temp,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                      fs::perms::group_write,
                  error);
  fs::rename(temp, path, error);
  if (error) fs::remove(temp, error);
  return !error;
}

}  // namespace

std::string DefaultCacheRoot() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up only
  if (const char* dir = std::getenv("KUBECACHEDIR"); dir != nullptr && *dir != '\0') return dir;
  const char* home = std::getenv("HOME");  // NOLINT(concurrency-mt-unsafe)
  if (home == nullptr || *home == '\0') return "";
  return (fs::path(home) / ".kube" / "cache").string();
}

std::string DiscoveryCacheDir(const std::string& cache_root, const std::string& server) {
  std::string host = server;
  for (const char* scheme : {"https://", "http://"}) {
    size_t at = host.find(scheme);
    if (at != std::string::npos) {
      host.erase(at, std::char_traits<char>::length(scheme));
      break;
    }
  }
  for (char& c : host) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '/' || c == '.' || c == '(' || c == ')';
    if (!keep) c = '_';
  }
  return CleanPath((fs::path(cache_root) / "discovery" / host).string());
}

std::optional<DiscoverySnapshot> DiscoveryDiskCache::Load() const {
  if (dir_.empty()) return std::nullopt;
  std::optional<std::string> groups = ReadFresh(fs::path(dir_) / "servergroups.json", ttl_);
  if (!groups) return std::nullopt;
  Result<std::vector<DiscoveredGroupVersion>> listed = ParseLegacyGroups(*groups, false);
  if (!listed || listed->empty()) return std::nullopt;
  DiscoverySnapshot snapshot;
  for (DiscoveredGroupVersion& group_version : *listed) {
    if (!SafePathComponent(group_version.group, true) ||
        !SafePathComponent(group_version.version, false)) {
      return std::nullopt;
    }
    std::optional<std::string> resources =
        ReadFresh(fs::path(dir_) / ResourcesFile(group_version), ttl_);
    if (!resources || !ParseResourceList(*resources, group_version)) return std::nullopt;
    snapshot.group_versions.push_back(std::move(group_version));
  }
  return snapshot;
}

bool DiscoveryDiskCache::Store(const DiscoverySnapshot& snapshot) const {
  if (dir_.empty() || snapshot.group_versions.empty()) return false;
  for (const DiscoveredGroupVersion& group_version : snapshot.group_versions) {
    if (!SafePathComponent(group_version.group, true) ||
        !SafePathComponent(group_version.version, false)) {
      return false;
    }
  }
  // Resources first: a reader that finds servergroups.json finds every file it lists.
  for (const DiscoveredGroupVersion& group_version : snapshot.group_versions) {
    if (!WriteAtomically(fs::path(dir_) / ResourcesFile(group_version),
                         ResourceListJson(group_version))) {
      return false;
    }
  }
  return WriteAtomically(fs::path(dir_) / "servergroups.json", GroupListJson(snapshot));
}

}  // namespace mm::kubeapi
