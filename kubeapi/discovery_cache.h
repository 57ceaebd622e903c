#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "kubeapi/discovery_documents.h"

namespace mm::kubeapi {

// How long kubectl trusts its discovery cache (cli-runtime's ConfigFlags: 6 hours).
inline constexpr std::chrono::hours kDiscoveryCacheTtl{6};

// Returns kubectl's cache root: $KUBECACHEDIR when set, else $HOME/.kube/cache; "" when neither
// KUBECACHEDIR nor HOME is set.
std::string DefaultCacheRoot();

// Returns the discovery cache directory of `server` under `cache_root`, as kubectl names it:
// <root>/discovery/<host_port>, the scheme dropped and every character other than letters,
// digits, '_', '/', '.', '(' and ')' replaced by '_' ("https://127.0.0.1:6443" ->
// "127.0.0.1_6443").
std::string DiscoveryCacheDir(const std::string& cache_root, const std::string& server);

// kubectl's on-disk discovery cache for one server, in kubectl's layout so that both share it:
// DIR/servergroups.json (an APIGroupList, the core group named "") and
// DIR/<group>/<version>/serverresources.json (APIResourceLists; the core group's are DIR/v1/...).
// Files are trusted for `ttl` after they were written.
class DiscoveryDiskCache {
 public:
  explicit DiscoveryDiskCache(std::string dir,
                              std::chrono::seconds ttl = std::chrono::seconds(kDiscoveryCacheTtl))
      : dir_(std::move(dir)), ttl_(ttl) {}

  // Returns the cached snapshot, or nullopt when any file it needs is missing, older than the TTL
  // or unreadable (a cache problem is never an error: the caller asks the server instead).
  std::optional<DiscoverySnapshot> Load() const;

  // Writes `snapshot` (each file atomically: a temp file renamed into place). Best effort: returns
  // false when the cache could not be written, which callers may ignore. Group or version names
  // that are not safe as path components are refused (nothing is written).
  bool Store(const DiscoverySnapshot& snapshot) const;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::chrono::seconds ttl_;
};

}  // namespace mm::kubeapi
