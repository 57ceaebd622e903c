#include "core/mattermost/render.h"

#include "core/base64.h"
#include "core/json.h"
#include "core/json_builder.h"
#include "core/mattermost/children.h"
#include "core/mattermost/defaults.h"
#include "core/mattermost/parse.h"

namespace mm {

Result<std::vector<rapidjson::Document>> RenderMattermost(rapidjson::Document resource,
                                                          const ClusterFacts& facts,
                                                          const std::string& default_namespace) {
  if (resource.IsObject()) {
    rapidjson::Value& metadata = EnsureObject(resource, "metadata", resource.GetAllocator());
    if (GetString(metadata, "namespace").empty()) {
      SetMember(metadata, "namespace", JsonString(default_namespace, resource.GetAllocator()),
                resource.GetAllocator());
    }
  }
  auto mattermost = ParseMattermost(std::move(resource));
  if (!mattermost) return std::move(mattermost).error();
  std::vector<std::string> problems = ValidateMattermost(*mattermost);
  if (!problems.empty()) return InvalidError("Mattermost \"" + mattermost->name + "\"", problems);
  auto defaulted = DefaultedMattermost(std::move(*mattermost));
  if (!defaulted) return std::move(defaulted).error();
  auto children = BuildChildren(*defaulted, facts);
  if (!children) return std::move(children).error();
  if (!children->error.empty()) return Error::Invalid(children->error);

  std::vector<rapidjson::Document> objects;
  rapidjson::Document copy;
  copy.CopyFrom(*defaulted->document, copy.GetAllocator());
  objects.push_back(std::move(copy));
  for (DesiredChild& child : children->children) {
    if (!child.object) continue;
    rapidjson::Document object;
    object.CopyFrom(*child.object, object.GetAllocator());
    objects.push_back(std::move(object));
  }
  return objects;
}

std::map<std::string, std::string> SecretKeys(const rapidjson::Value& secret) {
  std::map<std::string, std::string> keys;
  if (const rapidjson::Value* data = FindMember(secret, "data"); data && data->IsObject()) {
    for (const auto& member : data->GetObject()) {
      keys[member.name.GetString()] =
          member.value.IsString() ? Base64Decode(member.value.GetString()).value_or("") : "";
    }
  }
  if (const rapidjson::Value* data = FindMember(secret, "stringData"); data && data->IsObject()) {
    for (const auto& member : data->GetObject()) {
      keys[member.name.GetString()] = member.value.IsString() ? member.value.GetString() : "";
    }
  }
  return keys;
}

}  // namespace mm
