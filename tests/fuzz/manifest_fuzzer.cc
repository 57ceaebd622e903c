// Fuzzes ReadManifests (multi-document YAML/JSON) and the YAML emitter on what it returns: every
// object read must print as YAML that reads back as the same object.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/json.h"
#include "core/yaml.h"
#include "kubeapi/manifest_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto objects = mm::kubeapi::ReadManifests(text, "fuzz.yaml");
  if (!objects) return 0;
  for (const rapidjson::Document& object : *objects) {
    std::string yaml = mm::ToYaml(object);
    auto reread = mm::ParseYamlDocuments(yaml, "emitted");
    if (!reread || reread->size() != 1 || (*reread)[0] != object) std::abort();
  }
  return 0;
}
