#include "kubeapi/manifest_reader.h"

#include "core/json.h"
#include "core/yaml.h"
#include "kubeapi/file_util.h"

namespace mm::kubeapi {
namespace {

bool IsList(const rapidjson::Value& object) {
  std::string kind = GetString(object, "kind");
  const rapidjson::Value* items = FindMember(object, "items");
  return kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0 && items != nullptr &&
         items->IsArray();
}

Result<void> CheckTypeMeta(const rapidjson::Value& object, std::string_view source) {
  const char* missing = nullptr;
  if (!object.IsObject() || GetString(object, "kind").empty()) {
    missing = "Kind";
  } else if (GetString(object, "apiVersion").empty()) {
    missing = "apiVersion";
  }
  if (missing == nullptr) return {};
  return Error::Invalid("unable to decode \"" + std::string(source) + "\": Object '" + missing +
                        "' is missing in '" + ToJson(object) + "'");
}

}  // namespace

Result<std::vector<rapidjson::Document>> ReadManifests(std::string_view text,
                                                       std::string_view source) {
  Result<std::vector<rapidjson::Document>> documents = ParseYamlDocuments(text, "yaml");
  if (!documents) {
    return Error::Invalid("error parsing " + std::string(source) +
                          ": error converting YAML to JSON: " + documents.error().message());
  }
  std::vector<rapidjson::Document> objects;
  for (rapidjson::Document& document : *documents) {
    if (document.IsNull()) continue;
    MM_RETURN_IF_ERROR(CheckTypeMeta(document, source));
    if (!IsList(document)) {
      objects.push_back(std::move(document));
      continue;
    }
    for (const rapidjson::Value& item : document["items"].GetArray()) {
      MM_RETURN_IF_ERROR(CheckTypeMeta(item, source));
      rapidjson::Document copy;
      copy.CopyFrom(item, copy.GetAllocator());
      objects.push_back(std::move(copy));
    }
  }
  return objects;
}

Result<std::vector<rapidjson::Document>> ReadManifestFile(const std::string& path) {
  Result<std::string> text = ReadFileContents(path);
  if (!text) return std::move(text).error();
  return ReadManifests(*text, path);
}

}  // namespace mm::kubeapi
