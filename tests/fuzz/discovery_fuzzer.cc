// Fuzzes the discovery documents a server (or a cache file) hands us: aggregated lists, legacy
// group lists and resource lists, and the Content-Type check. What parses must survive the cache's
// round trip through the legacy documents.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kubeapi/discovery_documents.h"

using mm::kubeapi::DiscoveredGroupVersion;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mm::kubeapi::IsAggregatedDiscovery(text);
  (void)mm::kubeapi::ParseLegacyGroups(text, true);
  (void)mm::kubeapi::ParseLegacyGroups(text, false);
  DiscoveredGroupVersion listed{"g", "v1", {}};
  if (mm::kubeapi::ParseResourceList(text, listed)) {
    DiscoveredGroupVersion reread{"g", "v1", {}};
    if (!mm::kubeapi::ParseResourceList(mm::kubeapi::ResourceListJson(listed), reread)) {
      std::abort();
    }
  }
  auto aggregated = mm::kubeapi::ParseAggregatedDiscovery(text);
  if (aggregated) {
    mm::kubeapi::DiscoverySnapshot snapshot{*aggregated};
    mm::kubeapi::GroupListJson(snapshot);
    for (const DiscoveredGroupVersion& group_version : *aggregated) {
      mm::kubeapi::ResourceListJson(group_version);
    }
  }
  return 0;
}
