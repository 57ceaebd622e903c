#include "tests/sandbox/managed_fields.h"

#include <algorithm>
#include <map>

#include "core/json.h"
#include "tests/sandbox/list_schema.h"
#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

bool IgnoredMetadata(std::string_view name) {
  static const std::set<std::string_view> kIgnored = {
      "name",          "namespace",
      "uid",           "resourceVersion",
      "generation",    "creationTimestamp",
      "managedFields", "deletionTimestamp",
      "selfLink",      "deletionGracePeriodSeconds"};
  return kIgnored.count(name) > 0;
}

// The "k:{...}" token identifying list element `item` by `keys` (sorted, as SMD prints them).
std::string KeyToken(const Json& item, const std::vector<std::string>& keys) {
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  std::string out = "k:{";
  bool first = true;
  for (const auto& key : sorted) {
    const Json* v = Member(item, key);
    // Port protocols default to TCP, so an applied port without one names the same element.
    if (v == nullptr && key != "protocol") continue;
    if (!first) out += ",";
    first = false;
    out += Quote(key) + ":" + (v ? Dump(*v) : std::string("\"TCP\""));
  }
  return out + "}";
}

class Collector {
 public:
  Collector(const Json* schema, FieldSet& out) : schema_(schema), out_(out) {}

  void Object(const Json& object, FieldPath& path, std::vector<std::string>& tokens) {
    for (const auto& m : object.GetObject()) {
      std::string_view name = StrView(m.name);
      if (path.size() == 1 && path[0] == "metadata" && IgnoredMetadata(name)) continue;
      path.emplace_back(name);
      tokens.push_back("f:" + std::string(name));
      Value(m.value, path, tokens);
      tokens.pop_back();
      path.pop_back();
    }
  }

 private:
  void Value(const Json& value, FieldPath& path, std::vector<std::string>& tokens) {
    if (value.IsObject() && value.MemberCount() > 0) {
      Object(value, path, tokens);
    } else if (value.IsArray() && value.Size() > 0) {
      List(value, path, tokens);
    } else {
      out_.insert(tokens);
    }
  }

  void List(const Json& list, FieldPath& path, std::vector<std::string>& tokens) {
    ListSchema schema = ListSchemaAt(path, schema_);
    if (schema.type == ListSchema::Type::kAtomic) {
      out_.insert(tokens);
      return;
    }
    for (const auto& item : list.GetArray()) {
      if (schema.type == ListSchema::Type::kSet || !item.IsObject()) {
        tokens.push_back("v:" + Dump(item));
        out_.insert(tokens);
        tokens.pop_back();
        continue;
      }
      tokens.push_back(KeyToken(item, schema.keys));
      out_.insert(tokens);
      path.emplace_back("[]");
      Object(item, path, tokens);
      path.pop_back();
      tokens.pop_back();
    }
  }

  const Json* schema_;
  FieldSet& out_;
};

// Finds the element of `list` named by `token` (k:, v: or i:).
const Json* Element(const Json& list, std::string_view token) {
  if (!list.IsArray()) return nullptr;
  std::string_view body = token.substr(2);
  if (token.substr(0, 2) == "i:") {
    size_t index = std::strtoul(std::string(body).c_str(), nullptr, 10);
    return index < list.Size() ? &list[static_cast<rapidjson::SizeType>(index)] : nullptr;
  }
  auto parsed = mm::ParseJson(body);
  if (!parsed) return nullptr;
  for (const auto& item : list.GetArray()) {
    if (token.substr(0, 2) == "v:") {
      if (item == *parsed) return &item;
      continue;
    }
    bool all = parsed->IsObject() && item.IsObject();
    for (const auto& k : parsed->GetObject()) {
      const Json* v = all ? Member(item, StrView(k.name)) : nullptr;
      bool defaulted_tcp = v == nullptr && StrView(k.name) == "protocol" && k.value == "TCP";
      all = all && (v != nullptr ? *v == k.value : defaulted_tcp);
    }
    if (all) return &item;
  }
  return nullptr;
}

const Json* ValueAt(const Json& object, const std::vector<std::string>& path) {
  const Json* node = &object;
  for (const auto& token : path) {
    if (node == nullptr) return nullptr;
    node = token.rfind("f:", 0) == 0 ? Member(*node, token.substr(2)) : Element(*node, token);
  }
  return node;
}

void RemovePath(Json& object, const std::vector<std::string>& path) {
  if (path.empty()) return;
  std::vector<std::string> parent_path(path.begin(), path.end() - 1);
  Json* parent = const_cast<Json*>(ValueAt(object, parent_path));
  if (parent == nullptr) return;
  const std::string& last = path.back();
  if (last.rfind("f:", 0) == 0) {
    Remove(*parent, last.substr(2));
  } else if (const Json* element = Element(*parent, last)) {
    parent->Erase(const_cast<Json*>(element));
  }
}

// Merges `applied` into `target` structurally: maps merge, keyed lists merge by key, sets
// union, atomic lists and scalars replace.
void MergeApplied(Json& target, const Json& applied, FieldPath& path, const Json* schema,
                  Alloc& alloc) {
  if (!applied.IsObject() || !target.IsObject()) {
    if (applied.IsArray() && target.IsArray()) {
      ListSchema list = ListSchemaAt(path, schema);
      if (list.type != ListSchema::Type::kAtomic) {
        for (const auto& item : applied.GetArray()) {
          std::string token = list.type == ListSchema::Type::kSet || !item.IsObject()
                                  ? "v:" + Dump(item)
                                  : KeyToken(item, list.keys);
          Json* existing = const_cast<Json*>(Element(target, token));
          if (existing == nullptr) {
            target.PushBack(Json(item, alloc), alloc);
          } else if (list.type == ListSchema::Type::kMap) {
            path.emplace_back("[]");
            MergeApplied(*existing, item, path, schema, alloc);
            path.pop_back();
          }
        }
        return;
      }
    }
    target.CopyFrom(applied, alloc);
    return;
  }
  for (const auto& m : applied.GetObject()) {
    path.emplace_back(StrView(m.name));
    Json* existing = MutableMember(target, StrView(m.name));
    if (existing == nullptr) {
      target.AddMember(Json(m.name, alloc), Json(m.value, alloc), alloc);
    } else {
      MergeApplied(*existing, m.value, path, schema, alloc);
    }
    path.pop_back();
  }
}

std::string ManagerLabel(const ManagerEntry& e) {
  std::string label = Quote(e.manager);
  if (!e.subresource.empty()) label += " with subresource " + Quote(e.subresource);
  if (e.operation == "Update") label += " using " + e.api_version;
  return label;
}

bool IsElementToken(const std::string& token) { return token.rfind("f:", 0) != 0; }

}  // namespace

FieldSet CollectFields(const Json& object, FieldScope scope, const Json* crd_schema) {
  FieldSet out;
  if (!object.IsObject()) return out;
  Collector collector(crd_schema, out);
  FieldPath path;
  std::vector<std::string> tokens;
  for (const auto& m : object.GetObject()) {
    std::string_view name = StrView(m.name);
    if (name == "apiVersion" || name == "kind") continue;
    if (scope == FieldScope::kMain && name == "status") continue;
    if (scope == FieldScope::kStatus && name != "status") continue;
    rapidjson::Document wrapper(rapidjson::kObjectType);
    wrapper.AddMember(Json(m.name, wrapper.GetAllocator()), Json(m.value, wrapper.GetAllocator()),
                      wrapper.GetAllocator());
    collector.Object(wrapper, path, tokens);
  }
  return out;
}

namespace {

void ParseFieldsV1(const Json& node, std::vector<std::string>& prefix, FieldSet& out) {
  if (!node.IsObject()) return;
  if (node.MemberCount() == 0) {
    out.insert(prefix);
    return;
  }
  for (const auto& m : node.GetObject()) {
    std::string_view name = StrView(m.name);
    if (name == ".") {
      out.insert(prefix);
      continue;
    }
    prefix.emplace_back(name);
    ParseFieldsV1(m.value, prefix, out);
    prefix.pop_back();
  }
}

struct Trie {
  std::map<std::string, Trie> children;
  bool member = false;
};

void WriteTrie(const Trie& trie, Json& out, Alloc& alloc) {
  out.SetObject();
  if (trie.member && !trie.children.empty())
    out.AddMember(".", Json(rapidjson::kObjectType), alloc);
  for (const auto& [token, child] : trie.children) {
    Json value;
    WriteTrie(child, value, alloc);
    out.AddMember(Json(token.c_str(), alloc), std::move(value), alloc);
  }
}

}  // namespace

std::vector<ManagerEntry> ParseManagedFields(const Json& object) {
  std::vector<ManagerEntry> entries;
  const Json* list = AtPath(object, "metadata.managedFields");
  if (list == nullptr || !list->IsArray()) return entries;
  for (const auto& e : list->GetArray()) {
    ManagerEntry entry{Str(e, "manager"), Str(e, "operation"),   Str(e, "apiVersion"),
                       Str(e, "time"),    Str(e, "subresource"), {}};
    std::vector<std::string> prefix;
    if (const Json* f = Member(e, "fieldsV1")) ParseFieldsV1(*f, prefix, entry.fields);
    entries.push_back(std::move(entry));
  }
  return entries;
}

void WriteManagedFields(rapidjson::Document& object, const std::vector<ManagerEntry>& entries) {
  Alloc& alloc = object.GetAllocator();
  Json list(rapidjson::kArrayType);
  for (const auto& e : entries) {
    if (e.fields.empty()) continue;
    Json entry(rapidjson::kObjectType);
    SetString(entry, "manager", e.manager, alloc);
    SetString(entry, "operation", e.operation, alloc);
    SetString(entry, "apiVersion", e.api_version, alloc);
    SetString(entry, "time", e.time, alloc);
    SetString(entry, "fieldsType", "FieldsV1", alloc);
    Trie root;
    for (const auto& path : e.fields) {
      Trie* node = &root;
      for (const auto& token : path) node = &node->children[token];
      node->member = true;
    }
    Json fields;
    WriteTrie(root, fields, alloc);
    entry.AddMember("fieldsV1", std::move(fields), alloc);
    if (!e.subresource.empty()) SetString(entry, "subresource", e.subresource, alloc);
    list.PushBack(std::move(entry), alloc);
  }
  Json& metadata = Child(object, "metadata", alloc);
  if (list.Empty()) {
    Remove(metadata, "managedFields");
  } else {
    Set(metadata, "managedFields", list, alloc);
  }
}

void RecordUpdate(const Json* before, rapidjson::Document& after, const std::string& manager,
                  const std::string& api_version, const std::string& subresource, FieldScope scope,
                  const Json* crd_schema, const std::string& now) {
  // A write that changes managedFields itself replaces them (kubectl's CSA->SSA migration);
  // otherwise the live entries carry over.
  std::vector<ManagerEntry> entries;
  const Json* incoming = AtPath(after, "metadata.managedFields");
  const Json* live = before ? AtPath(*before, "metadata.managedFields") : nullptr;
  bool replaced = incoming != nullptr && (live == nullptr || *incoming != *live);
  entries =
      ParseManagedFields(replaced || before == nullptr ? static_cast<const Json&>(after) : *before);
  FieldSet new_set = CollectFields(after, scope, crd_schema);
  FieldSet old_set = before ? CollectFields(*before, scope, crd_schema) : FieldSet{};
  FieldSet changed;
  for (const auto& path : new_set) {
    const Json* old_value = before ? ValueAt(*before, path) : nullptr;
    const Json* new_value = ValueAt(after, path);
    bool element = IsElementToken(path.back());
    if (old_value == nullptr || (!element && new_value && *old_value != *new_value)) {
      changed.insert(path);
    }
  }
  FieldSet removed;
  std::set_difference(old_set.begin(), old_set.end(), new_set.begin(), new_set.end(),
                      std::inserter(removed, removed.end()));
  ManagerEntry* mine = nullptr;
  for (auto& e : entries) {
    bool same = e.manager == manager && e.operation == "Update" && e.subresource == subresource;
    for (const auto& p : removed) e.fields.erase(p);
    if (same) {
      mine = &e;
    } else if (!replaced) {
      for (const auto& p : changed) e.fields.erase(p);
    }
  }
  if (!changed.empty()) {
    if (mine == nullptr) {
      entries.push_back({manager, "Update", api_version, now, subresource, {}});
      mine = &entries.back();
    }
    mine->fields.insert(changed.begin(), changed.end());
    mine->time = now;
    mine->api_version = api_version;
  }
  if (manager.empty() && mine != nullptr) mine->manager = "unknown";
  WriteManagedFields(after, entries);
}

mm::Result<rapidjson::Document> ServerSideApply(const Json* live, const Json& applied,
                                                const std::string& manager, bool force,
                                                const std::string& api_version, FieldScope scope,
                                                const Json* crd_schema, const std::string& now) {
  FieldSet applied_set = CollectFields(applied, scope, crd_schema);
  std::vector<ManagerEntry> entries =
      live ? ParseManagedFields(*live) : std::vector<ManagerEntry>{};
  struct Conflict {
    size_t entry;
    std::vector<std::string> path;
  };
  std::vector<Conflict> conflicts;
  for (size_t i = 0; i < entries.size(); ++i) {
    const ManagerEntry& e = entries[i];
    if (e.manager == manager && e.operation == "Apply") continue;
    for (const auto& path : e.fields) {
      if (!applied_set.count(path) || IsElementToken(path.back())) continue;
      const Json* current = ValueAt(*live, path);
      const Json* wanted = ValueAt(applied, path);
      if (current != nullptr && wanted != nullptr && *current != *wanted) {
        conflicts.push_back({i, path});
      }
    }
  }
  if (!conflicts.empty() && !force) {
    std::vector<mm::StatusCause> causes;
    std::map<std::string, std::vector<std::string>> by_manager;
    for (const auto& c : conflicts) {
      std::string label = ManagerLabel(entries[c.entry]);
      causes.push_back(Cause("FieldManagerConflict", PathString(c.path), "conflict with " + label));
      by_manager[label].push_back(PathString(c.path));
    }
    std::string message;
    if (conflicts.size() == 1) {
      message = "Apply failed with 1 conflict: conflict with " +
                ManagerLabel(entries[conflicts[0].entry]) + ": " + PathString(conflicts[0].path);
    } else {
      message = "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: ";
      bool first = true;
      for (const auto& [label, paths] : by_manager) {
        message += (first ? "" : "\n") + std::string("conflicts with ") + label + ":";
        first = false;
        for (const auto& p : paths) message += "\n- " + p;
      }
    }
    mm::ApiStatus status;
    status.code = 409;
    status.reason = "Conflict";
    status.message = message;
    status.causes = std::move(causes);
    return mm::Error::Api(std::move(status));
  }
  for (const auto& c : conflicts) entries[c.entry].fields.erase(c.path);

  rapidjson::Document result;
  if (live != nullptr) {
    result = Clone(*live);
    FieldPath path;
    MergeApplied(result, applied, path, crd_schema, result.GetAllocator());
  } else {
    result = Clone(applied);
  }
  auto mine = std::find_if(entries.begin(), entries.end(), [&](const ManagerEntry& e) {
    return e.manager == manager && e.operation == "Apply";
  });
  if (mine != entries.end()) {
    // Fields this manager applied before but not now are removed unless someone else owns them.
    for (const auto& path : mine->fields) {
      if (applied_set.count(path)) continue;
      bool shared = std::any_of(entries.begin(), entries.end(), [&](const ManagerEntry& e) {
        return &e != &*mine && e.fields.count(path);
      });
      if (!shared) RemovePath(result, path);
    }
    mine->fields = applied_set;
    mine->time = now;
    mine->api_version = api_version;
  } else {
    entries.push_back({manager, "Apply", api_version, now, "", applied_set});
  }
  WriteManagedFields(result, entries);
  return result;
}

std::string PathString(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& token : path) {
    std::string_view body = std::string_view(token).substr(2);
    if (token.rfind("f:", 0) == 0) {
      out += "." + std::string(body);
    } else if (token.rfind("k:", 0) == 0) {
      auto parsed = mm::ParseJson(body);
      out += "[";
      bool first = true;
      if (parsed && parsed->IsObject()) {
        for (const auto& m : parsed->GetObject()) {
          out += (first ? "" : ",") + std::string(StrView(m.name)) + "=" + Dump(m.value);
          first = false;
        }
      }
      out += "]";
    } else if (token.rfind("v:", 0) == 0) {
      out += "[=" + std::string(body) + "]";
    } else {
      out += "[" + std::string(body) + "]";
    }
  }
  return out;
}

}  // namespace sandbox
