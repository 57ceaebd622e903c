#pragma once

#include <memory>
#include <optional>

#include "core/result.h"
#include "kubeapi/discovery_cache.h"
#include "kubeapi/discovery_documents.h"
#include "kubeapi/rest_client.h"

namespace mm::kubeapi {

// Reads what the API server serves, as kubectl does: GET /api and /apis asking for aggregated
// discovery (v2, then v2beta1) and, when the server answers with the legacy documents instead
// (decided by the Content-Type only), GET of every group version. Results are kept in memory and,
// with a cache directory, in kubectl's on-disk discovery cache. Not thread-safe (RestMapper
// serializes its use).
class DiscoveryClient {
 public:
  // `rest` must outlive the client. `cache_dir` is the server's directory in the disk cache (see
  // DiscoveryCacheDir); "" disables the disk cache.
  DiscoveryClient(RestClient& rest, const std::string& cache_dir) : rest_(rest), disk_(cache_dir) {}

  // Returns what the server serves: the copy in memory, else a fresh disk cache, else the server's
  // answer (then stored on disk). The snapshot stays valid until the next Invalidate(). Fails as
  // RestClient when /apis cannot be read; a 404 on /api and group versions that fail (stale
  // aggregated API services) are skipped, as kubectl skips them.
  Result<std::shared_ptr<const DiscoverySnapshot>> Snapshot();

  // Forgets the memory copy and distrusts the disk cache: the next Snapshot() asks the server.
  void Invalidate();

  // True when the current snapshot came from the server since the last Invalidate() (a miss in it
  // is real, not staleness).
  bool fresh() const { return fresh_; }
  // True when a snapshot is held in memory (Snapshot() will not read disk or network).
  bool has_snapshot() const { return snapshot_ != nullptr; }

 private:
  Result<DiscoverySnapshot> FetchFromServer();
  Result<void> FetchRoot(bool core, DiscoverySnapshot& snapshot);

  RestClient& rest_;
  DiscoveryDiskCache disk_;
  std::shared_ptr<const DiscoverySnapshot> snapshot_;
  bool fresh_ = false;
  bool distrust_disk_ = false;
};

}  // namespace mm::kubeapi
