#include "tests/sandbox/crd.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

// (stability rank, major, minor) — GA 3, beta 2, alpha 1, other 0.
std::tuple<int, int, int> VersionRank(const std::string& v) {
  static const std::regex kPattern(R"(v(\d+)(?:(alpha|beta)(\d+))?)");
  std::smatch m;
  if (!std::regex_match(v, m, kPattern)) return {0, 0, 0};
  // atoi, not stoi: a huge number must not throw.
  int major = std::atoi(m[1].str().c_str());
  if (!m[2].matched) return {3, major, 0};
  return {m[2] == "beta" ? 2 : 1, major, std::atoi(m[3].str().c_str())};
}

std::vector<std::string> Strings(const Json* list) {
  std::vector<std::string> out;
  if (list && list->IsArray()) {
    for (const auto& v : list->GetArray()) out.emplace_back(StrView(v));
  }
  return out;
}

std::string TypeName(const Json& v) {
  if (v.IsString()) return "string";
  if (v.IsBool()) return "boolean";
  if (v.IsInt64() || v.IsUint64()) return "integer";
  if (v.IsNumber()) return "number";
  if (v.IsArray()) return "array";
  if (v.IsObject()) return "object";
  return "null";
}

std::string ValueText(const Json& v) {
  if (v.IsString()) return Quote(StrView(v));
  if (v.IsObject() || v.IsArray()) return Quote(TypeName(v));
  return Dump(v);
}

bool TypeMatches(const std::string& want, const Json& v) {
  if (want.empty()) return true;
  if (want == "number") return v.IsNumber();
  if (want == "integer") return v.IsInt64() || v.IsUint64();
  return TypeName(v) == want;
}

class Pruner {
 public:
  Pruner(Alloc& alloc, std::vector<mm::StatusCause>& errors, std::vector<std::string>& unknown)
      : alloc_(alloc), errors_(errors), unknown_(unknown) {}

  void Walk(Json& value, const Json& schema, const std::string& path) {
    std::string type = Str(schema, "type");
    const Json* int_or_string = Member(schema, "x-kubernetes-int-or-string");
    if (int_or_string && int_or_string->IsTrue()) {
      if (!value.IsString() && !value.IsInt64()) {
        TypeError(value, path, "integer or string");
      }
      return;
    }
    if (!TypeMatches(type, value)) {
      TypeError(value, path, type);
      return;
    }
    if (const Json* e = Member(schema, "enum");
        e && e->IsArray() && std::find(e->Begin(), e->End(), value) == e->End()) {
      std::string supported;
      for (const auto& item : e->GetArray()) {
        supported += (supported.empty() ? "" : ", ") + ValueText(item);
      }
      errors_.push_back(
          Cause("FieldValueNotSupported", path,
                "Unsupported value: " + ValueText(value) + ": supported values: " + supported));
    }
    Bounds(value, schema, path);
    if (value.IsObject()) Object(value, schema, path);
    if (value.IsArray()) {
      const Json* items = Member(schema, "items");
      for (rapidjson::SizeType i = 0; items && i < value.Size(); ++i) {
        Walk(value[i], *items, path + "[" + std::to_string(i) + "]");
      }
    }
  }

 private:
  void TypeError(const Json& value, const std::string& path, const std::string& want) {
    errors_.push_back(Cause(
        "FieldValueTypeInvalid", path,
        InvalidValue(ValueText(value),
                     path + " in body must be of type " + want + ": " + Quote(TypeName(value)))));
  }

  void Bounds(const Json& value, const Json& schema, const std::string& path) {
    if (!value.IsNumber()) return;
    if (const Json* min = Member(schema, "minimum");
        min && min->IsNumber() && value.GetDouble() < min->GetDouble()) {
      errors_.push_back(Cause("FieldValueInvalid", path,
                              InvalidValue(Dump(value), path +
                                                            " in body should be greater than or "
                                                            "equal to " +
                                                            Dump(*min))));
    }
    if (const Json* max = Member(schema, "maximum");
        max && max->IsNumber() && value.GetDouble() > max->GetDouble()) {
      errors_.push_back(
          Cause("FieldValueInvalid", path,
                InvalidValue(Dump(value),
                             path + " in body should be less than or equal to " + Dump(*max))));
    }
  }

  void Object(Json& value, const Json& schema, const std::string& path) {
    const Json* props = Member(schema, "properties");
    const Json* additional = Member(schema, "additionalProperties");
    const Json* preserve = Member(schema, "x-kubernetes-preserve-unknown-fields");
    bool keep_unknown = preserve && preserve->IsTrue();
    std::string prefix = path.empty() ? "" : path + ".";
    for (auto it = value.MemberBegin(); it != value.MemberEnd();) {
      std::string name(StrView(it->name));
      if (path.empty() && (name == "apiVersion" || name == "kind" || name == "metadata")) {
        ++it;
        continue;
      }
      const Json* child = props ? Member(*props, name) : nullptr;
      if (child == nullptr && additional && additional->IsObject()) child = additional;
      if (child != nullptr) {
        const Json* nullable = Member(*child, "nullable");
        if (it->value.IsNull() && !(nullable && nullable->IsTrue())) {
          it = value.RemoveMember(it);
          continue;
        }
        Walk(it->value, *child, prefix + name);
        ++it;
      } else if (keep_unknown || (additional && additional->IsTrue())) {
        ++it;
      } else {
        unknown_.push_back(prefix + name);
        it = value.RemoveMember(it);
      }
    }
    for (const std::string& required : Strings(Member(schema, "required"))) {
      if (Member(value, required) == nullptr) {
        errors_.push_back(Cause("FieldValueRequired", prefix + required, "Required value"));
      }
    }
  }

  Alloc& alloc_;
  std::vector<mm::StatusCause>& errors_;
  std::vector<std::string>& unknown_;
};

}  // namespace

bool VersionPrefers(const std::string& a, const std::string& b) {
  auto ra = VersionRank(a), rb = VersionRank(b);
  if (ra != rb) return ra > rb;
  return a < b;
}

std::vector<mm::StatusCause> ValidateCrd(const Json& crd) {
  std::vector<mm::StatusCause> errors;
  const Json* spec = Member(crd, "spec");
  std::string group = spec ? Str(*spec, "group") : "";
  const Json* names = AtPath(crd, "spec.names");
  std::string plural = names ? Str(*names, "plural") : "";
  std::string kind = names ? Str(*names, "kind") : "";
  const Json* metadata = Member(crd, "metadata");
  std::string name = metadata ? Str(*metadata, "name") : "";
  if (group.empty()) errors.push_back(Cause("FieldValueRequired", "spec.group", "Required value"));
  if (plural.empty()) {
    errors.push_back(Cause("FieldValueRequired", "spec.names.plural", "Required value"));
  }
  if (kind.empty())
    errors.push_back(Cause("FieldValueRequired", "spec.names.kind", "Required value"));
  if (!plural.empty() && !group.empty() && name != plural + "." + group) {
    errors.push_back(
        Cause("FieldValueInvalid", "metadata.name",
              InvalidValue(Quote(name), "must be spec.names.plural+\".\"+spec.group")));
  }
  std::string scope = spec ? Str(*spec, "scope") : "";
  if (scope != "Namespaced" && scope != "Cluster") {
    errors.push_back(Cause(
        "FieldValueNotSupported", "spec.scope",
        "Unsupported value: " + Quote(scope) + ": supported values: \"Cluster\", \"Namespaced\""));
  }
  const Json* versions = AtPath(crd, "spec.versions");
  int storage = 0;
  if (versions && versions->IsArray()) {
    for (const auto& v : versions->GetArray()) {
      const Json* s = Member(v, "storage");
      if (s && s->IsTrue()) ++storage;
    }
  }
  if (versions == nullptr || !versions->IsArray() || versions->Empty()) {
    errors.push_back(Cause("FieldValueRequired", "spec.versions", "Required value"));
  } else if (storage != 1) {
    errors.push_back(
        Cause("FieldValueInvalid", "spec.versions",
              InvalidValue("[]apiextensions.CustomResourceDefinitionVersion{...}",
                           "must have exactly one version marked as storage version")));
  }
  return errors;
}

std::vector<ResourceType> TypesFromCrd(const Json& crd) {
  std::vector<ResourceType> out;
  const Json* spec = Member(crd, "spec");
  const Json* versions = spec ? Member(*spec, "versions") : nullptr;
  const Json* names = spec ? Member(*spec, "names") : nullptr;
  if (versions == nullptr || names == nullptr || !versions->IsArray()) return out;
  for (const auto& v : versions->GetArray()) {
    const Json* served = Member(v, "served");
    if (served && served->IsFalse()) continue;
    ResourceType t;
    t.group = Str(*spec, "group");
    t.version = Str(v, "name");
    t.plural = Str(*names, "plural");
    t.kind = Str(*names, "kind");
    t.singular = Str(*names, "singular");
    if (t.singular.empty()) {
      t.singular = t.kind;
      std::transform(t.singular.begin(), t.singular.end(), t.singular.begin(), ::tolower);
    }
    t.namespaced = Str(*spec, "scope") != "Cluster";
    t.short_names = Strings(Member(*names, "shortNames"));
    t.categories = Strings(Member(*names, "categories"));
    t.verbs = {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
    t.custom = true;
    t.generation = true;
    if (const Json* status = AtPath(v, "subresources.status"); status && status->IsObject()) {
      t.has_status = true;
      t.subresources.push_back({"status", t.kind, "", "", {"get", "patch", "update"}});
    }
    if (const Json* scale = AtPath(v, "subresources.scale"); scale && scale->IsObject()) {
      t.has_scale = true;
      t.spec_replicas_path = Str(*scale, "specReplicasPath");
      t.status_replicas_path = Str(*scale, "statusReplicasPath");
      t.label_selector_path = Str(*scale, "labelSelectorPath");
      t.subresources.push_back({"scale", "Scale", "autoscaling", "v1", {"get", "patch", "update"}});
    }
    if (const Json* schema = AtPath(v, "schema.openAPIV3Schema"); schema && schema->IsObject()) {
      t.schema = Freeze(Clone(*schema));
    }
    if (const Json* cols = Member(v, "additionalPrinterColumns"); cols && cols->IsArray()) {
      for (const auto& c : cols->GetArray()) {
        const Json* priority = Member(c, "priority");
        t.printer_columns.push_back(
            {Str(c, "name"), Str(c, "type"), Str(c, "jsonPath"), Str(c, "description"),
             priority && priority->IsInt() ? priority->GetInt() : 0, Str(c, "format")});
      }
    }
    out.push_back(std::move(t));
  }
  std::stable_sort(out.begin(), out.end(), [](const ResourceType& a, const ResourceType& b) {
    return VersionPrefers(a.version, b.version);
  });
  return out;
}

void SetCrdStatus(Json& crd, Alloc& alloc, const std::string& now) {
  Json& status = Child(crd, "status", alloc);
  const Json* names = AtPath(crd, "spec.names");
  Json accepted(rapidjson::kObjectType);
  if (names) accepted.CopyFrom(*names, alloc);
  if (Str(accepted, "singular").empty()) {
    std::string singular = Str(accepted, "kind");
    std::transform(singular.begin(), singular.end(), singular.begin(), ::tolower);
    SetString(accepted, "singular", singular, alloc);
  }
  if (Str(accepted, "listKind").empty()) {
    SetString(accepted, "listKind", Str(accepted, "kind") + "List", alloc);
  }
  Json conditions(rapidjson::kArrayType);
  auto condition = [&](const char* type, const char* reason, const char* message) {
    Json c(rapidjson::kObjectType);
    SetString(c, "type", type, alloc);
    SetString(c, "status", "True", alloc);
    SetString(c, "lastTransitionTime", now, alloc);
    SetString(c, "reason", reason, alloc);
    SetString(c, "message", message, alloc);
    conditions.PushBack(std::move(c), alloc);
  };
  condition("NamesAccepted", "NoConflicts", "no conflicts found");
  condition("Established", "InitialNamesAccepted", "the initial names have been accepted");
  Set(status, "conditions", conditions, alloc);
  Set(status, "acceptedNames", accepted, alloc);
  Json stored(rapidjson::kArrayType);
  if (const Json* versions = AtPath(crd, "spec.versions"); versions && versions->IsArray()) {
    for (const auto& v : versions->GetArray()) {
      const Json* s = Member(v, "storage");
      if (s && s->IsTrue()) stored.PushBack(Json(Str(v, "name").c_str(), alloc), alloc);
    }
  }
  Set(status, "storedVersions", stored, alloc);
}

void PruneAndValidate(Json& object, const Json& schema, Alloc& alloc,
                      std::vector<mm::StatusCause>& errors, std::vector<std::string>& unknown) {
  Pruner(alloc, errors, unknown).Walk(object, schema, "");
}

}  // namespace sandbox
