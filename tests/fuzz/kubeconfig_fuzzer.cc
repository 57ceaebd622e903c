// Fuzzes ParseKubeconfig: any text must give a Kubeconfig or an error, never a crash, a leak or
// undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kubeapi/kubeconfig.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mm::Result<mm::kubeapi::Kubeconfig> config =
      mm::kubeapi::ParseKubeconfig(text, "/fuzz/dir/kubeconfig");
  if (config) {
    // Merging exercises the map handling of everything that was parsed.
    mm::kubeapi::Kubeconfig merged;
    mm::kubeapi::MergeKubeconfig(merged, *config);
  }
  return 0;
}
