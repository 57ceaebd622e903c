#include "core/three_way_diff.h"

#include <string_view>

#include "core/go_json.h"
#include "core/json.h"

namespace mm {
namespace {

// The key Kubernetes' strategic merge matches list elements on (patchMergeKey), or "" for a list
// that is replaced as a whole. Lists of these names hold objects in every kind we write.
std::string_view MergeKey(std::string_view list, const rapidjson::Value& items) {
  if (list == "containers" || list == "initContainers" || list == "ephemeralContainers" ||
      list == "volumes" || list == "imagePullSecrets" || list == "env" ||
      list == "resourceClaims" || list == "schedulingGates") {
    return "name";
  }
  if (list == "ports") {
    // Container ports merge on containerPort, Service ports on port.
    bool container = !items.Empty() && items[0].IsObject() && items[0].HasMember("containerPort");
    return container ? "containerPort" : "port";
  }
  if (list == "volumeMounts") return "mountPath";
  if (list == "volumeDevices") return "devicePath";
  if (list == "ownerReferences") return "uid";
  if (list == "hostAliases") return "ip";
  if (list == "topologySpreadConstraints") return "topologyKey";
  return "";
}

const rapidjson::Value* Kept(const rapidjson::Value* value) {
  return value != nullptr && GoKeepsMember(*value) ? value : nullptr;
}

const rapidjson::Value* Member(const rapidjson::Value* object, std::string_view name) {
  return object != nullptr ? Kept(FindMember(*object, name)) : nullptr;
}

// Member `name` of `object` (null when absent or not an object). The objects compared mostly
// list their members in the same order, so the search starts at `hint` (FindMemberNear).
const rapidjson::Value* Member(const rapidjson::Value* object, std::string_view name,
                               rapidjson::SizeType& hint) {
  return object != nullptr ? Kept(FindMemberNear(*object, name, hint)) : nullptr;
}

// rapidjson's ==, with strings (most leaves) compared inline.
bool SameValue(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsString() && b.IsString()) return SameText(a, TextOf(b));
  return a == b;
}

// The element of `list` whose `key` member equals `value`; `hint` is where it usually is (lists
// mostly keep their order), so the common case costs one comparison instead of a scan.
const rapidjson::Value* ItemWithKey(const rapidjson::Value* list, std::string_view key,
                                    const rapidjson::Value& value, rapidjson::SizeType hint) {
  if (list == nullptr || !list->IsArray()) return nullptr;
  auto matches = [&](const rapidjson::Value& item) {
    const rapidjson::Value* candidate = FindMember(item, key);
    return candidate != nullptr && SameValue(*candidate, value);
  };
  if (hint < list->Size() && matches((*list)[hint])) return &(*list)[hint];
  for (const rapidjson::Value& item : list->GetArray()) {
    if (matches(item)) return &item;
  }
  return nullptr;
}

// Equality after Go's cleaning: what a replaced list element or value is compared by.
bool CleanEqual(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsObject() && b.IsObject()) {
    size_t count = 0;
    rapidjson::SizeType hint = 0;
    for (const auto& member : a.GetObject()) {
      if (!GoKeepsMember(member.value)) continue;
      ++count;
      const rapidjson::Value* other = Member(&b, TextOf(member.name), hint);
      if (other == nullptr || !CleanEqual(member.value, *other)) return false;
    }
    for (const auto& member : b.GetObject()) count -= GoKeepsMember(member.value) ? 1 : 0;
    return count == 0;
  }
  if (a.IsArray() && b.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!CleanEqual(a[i], b[i])) return false;
    }
    return true;
  }
  return SameValue(a, b);
}

struct Difference {
  std::string path;
  std::string message;
};

std::string Show(const rapidjson::Value* value) { return value ? ToJson(*value) : "<absent>"; }

// `[name=mattermost]`: a list element by its merge key.
std::string Where(std::string_view key, const rapidjson::Value& id) {
  return "[" + std::string(key) + "=" + (id.IsString() ? id.GetString() : ToJson(id)) + "]";
}

class Comparer {
 public:
  // Compares the object members of `desired` (and the removals since `original`) with `live`.
  std::optional<Difference> Objects(const rapidjson::Value* original,
                                    const rapidjson::Value& desired, const rapidjson::Value& live,
                                    bool top) {
    rapidjson::SizeType live_hint = 0;
    rapidjson::SizeType original_hint = 0;
    for (const auto& member : desired.GetObject()) {
      std::string_view name = TextOf(member.name);
      if ((top && name == "status") || !GoKeepsMember(member.value)) continue;
      const rapidjson::Value* current = Member(&live, name, live_hint);
      if (current == nullptr)
        return At(name, {"", "expected " + Show(&member.value) + ", got <absent>"});
      if (!member.value.IsObject() && !member.value.IsArray()) {
        // Most members hold a string, number or bool: compared here as Values would (with
        // CleanEqual, that is SameValue for them), without its call.
        if (SameValue(member.value, *current)) continue;
        return At(name, Mismatch(member.value, *current));
      }
      const rapidjson::Value* before = Member(original, name, original_hint);
      if (auto difference = Values(before, member.value, *current, name)) {
        return At(name, std::move(*difference));
      }
    }
    if (original == nullptr || !original->IsObject()) return std::nullopt;
    rapidjson::SizeType desired_hint = 0;
    for (const auto& member : original->GetObject()) {
      std::string_view name = TextOf(member.name);
      if ((top && name == "status") || Member(&desired, name, desired_hint) != nullptr ||
          !GoKeepsMember(member.value) || IsEmptyStructs(member.value)) {
        continue;
      }
      if (const rapidjson::Value* current = Member(&live, name)) {
        return At(name, {"", "removed, got " + Show(current)});
      }
    }
    return std::nullopt;
  }

 private:
  static Difference At(std::string_view name, Difference difference) {
    difference.path.insert(0, "." + std::string(name));
    return difference;
  }

  std::optional<Difference> Values(const rapidjson::Value* original,
                                   const rapidjson::Value& desired, const rapidjson::Value& live,
                                   std::string_view name) {
    if (desired.IsObject() && live.IsObject()) return Objects(original, desired, live, false);
    if (desired.IsArray() && live.IsArray()) {
      std::string_view key = MergeKey(name, desired);
      if (!key.empty()) return Merged(original, desired, live, key);
    }
    if (CleanEqual(desired, live)) return std::nullopt;
    return Mismatch(desired, live);
  }

  static Difference Mismatch(const rapidjson::Value& desired, const rapidjson::Value& live) {
    return {"", "expected " + Show(&desired) + ", got " + Show(&live)};
  }

  // A list merged on `key`: every desired element must match the live one with its key; an
  // element recorded in `original` and dropped from `desired` must be gone from `live`.
  std::optional<Difference> Merged(const rapidjson::Value* original,
                                   const rapidjson::Value& desired, const rapidjson::Value& live,
                                   std::string_view key) {
    for (rapidjson::SizeType i = 0; i < desired.Size(); ++i) {
      const rapidjson::Value& item = desired[i];
      const rapidjson::Value* id = FindMember(item, key);
      if (id == nullptr) return Difference{"", "element without " + std::string(key)};
      const rapidjson::Value* current = ItemWithKey(&live, key, *id, i);
      if (current == nullptr) {
        return Difference{Where(key, *id), "expected " + Show(&item) + ", got <absent>"};
      }
      const rapidjson::Value* before = ItemWithKey(original, key, *id, i);
      if (auto difference = Values(before, item, *current, "")) {
        difference->path.insert(0, Where(key, *id));
        return difference;
      }
    }
    if (original == nullptr || !original->IsArray()) return std::nullopt;
    for (rapidjson::SizeType i = 0; i < original->Size(); ++i) {
      const rapidjson::Value* id = FindMember((*original)[i], key);
      if (id == nullptr || ItemWithKey(&desired, key, *id, i) != nullptr) continue;
      if (const rapidjson::Value* current = ItemWithKey(&live, key, *id, i)) {
        return Difference{Where(key, *id), "removed, got " + Show(current)};
      }
    }
    return std::nullopt;
  }
};

}  // namespace

std::optional<std::string> ThreeWayDifference(const rapidjson::Value* original,
                                              const rapidjson::Value& desired,
                                              const rapidjson::Value& live) {
  if (!desired.IsObject() || !live.IsObject()) return ".: not an object";
  Comparer comparer;
  auto difference = comparer.Objects(original, desired, live, true);
  if (!difference) return std::nullopt;
  return (difference->path.empty() ? "." : difference->path) + ": " + difference->message;
}

}  // namespace mm
