#include "tests/sandbox/patch.h"

#include <algorithm>

#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

mm::Error PatchError(std::string message) {
  mm::ApiStatus status;
  status.code = 422;
  status.reason = "Invalid";
  status.message = std::move(message);
  return mm::Error::Api(std::move(status));
}

// Splits an RFC 6901 pointer into unescaped tokens; fails on a pointer not starting with '/'.
bool SplitPointer(std::string_view pointer, std::vector<std::string>& tokens) {
  tokens.clear();
  if (pointer.empty()) return true;
  if (pointer.front() != '/') return false;
  size_t start = 1;
  while (true) {
    size_t slash = pointer.find('/', start);
    std::string_view raw = pointer.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token.push_back(raw[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

bool ParseIndex(const std::string& token, size_t size, bool allow_end, size_t& index) {
  if (allow_end && token == "-") {
    index = size;
    return true;
  }
  if (token.empty() || !std::all_of(token.begin(), token.end(), ::isdigit)) return false;
  if ((token.size() > 1 && token[0] == '0') || token.size() > 9) return false;
  index = std::stoul(token);
  return allow_end ? index <= size : index < size;
}

// Resolves all but the last token; nullptr when a step is missing.
Json* Parent(Json& root, const std::vector<std::string>& tokens) {
  Json* node = &root;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (node->IsObject()) {
      node = MutableMember(*node, tokens[i]);
    } else if (node->IsArray()) {
      size_t index;
      if (!ParseIndex(tokens[i], node->Size(), false, index)) return nullptr;
      node = &(*node)[static_cast<rapidjson::SizeType>(index)];
    } else {
      return nullptr;
    }
    if (node == nullptr) return nullptr;
  }
  return node;
}

Json* Resolve(Json& root, const std::vector<std::string>& tokens) {
  if (tokens.empty()) return &root;
  Json* parent = Parent(root, tokens);
  if (parent == nullptr) return nullptr;
  if (parent->IsObject()) return MutableMember(*parent, tokens.back());
  size_t index;
  if (parent->IsArray() && ParseIndex(tokens.back(), parent->Size(), false, index)) {
    return &(*parent)[static_cast<rapidjson::SizeType>(index)];
  }
  return nullptr;
}

bool Add(Json& root, const std::vector<std::string>& tokens, Json value, Alloc& alloc) {
  if (tokens.empty()) {
    root = std::move(value);
    return true;
  }
  Json* parent = Parent(root, tokens);
  if (parent == nullptr) return false;
  if (parent->IsObject()) {
    Remove(*parent, tokens.back());
    parent->AddMember(Json(tokens.back().c_str(), alloc), std::move(value), alloc);
    return true;
  }
  size_t index;
  if (!parent->IsArray() || !ParseIndex(tokens.back(), parent->Size(), true, index)) return false;
  parent->PushBack(Json(), alloc);
  for (size_t i = parent->Size() - 1; i > index; --i) {
    (*parent)[static_cast<rapidjson::SizeType>(i)] =
        std::move((*parent)[static_cast<rapidjson::SizeType>(i - 1)]);
  }
  (*parent)[static_cast<rapidjson::SizeType>(index)] = std::move(value);
  return true;
}

bool RemoveAt(Json& root, const std::vector<std::string>& tokens, Json* removed, Alloc& alloc) {
  Json* parent = tokens.empty() ? nullptr : Parent(root, tokens);
  if (parent == nullptr) return false;
  if (parent->IsObject()) {
    auto it = parent->FindMember(Ref(tokens.back()));
    if (it == parent->MemberEnd()) return false;
    if (removed) removed->CopyFrom(it->value, alloc);
    parent->RemoveMember(it);
    return true;
  }
  size_t index;
  if (!parent->IsArray() || !ParseIndex(tokens.back(), parent->Size(), false, index)) return false;
  if (removed) removed->CopyFrom((*parent)[static_cast<rapidjson::SizeType>(index)], alloc);
  parent->Erase(parent->Begin() + index);
  return true;
}

}  // namespace

mm::Result<rapidjson::Document> ApplyJsonPatch(const Json& target, const Json& ops) {
  if (!ops.IsArray()) {
    return mm::Error::Api(
        BadRequest("json: cannot unmarshal object into Go value of type "
                   "jsonpatch.Patch"));
  }
  rapidjson::Document doc = Clone(target);
  Alloc& alloc = doc.GetAllocator();
  std::vector<std::string> path, from;
  for (const auto& op_value : ops.GetArray()) {
    std::string op = Str(op_value, "op");
    std::string path_text = Str(op_value, "path");
    if (!SplitPointer(path_text, path)) {
      return PatchError(op + " operation does not apply: invalid path: " + path_text);
    }
    const Json* value = Member(op_value, "value");
    auto missing = [&] {
      return PatchError(op + " operation does not apply: doc is missing path: \"" + path_text +
                        "\": missing value");
    };
    if (op == "add" || op == "replace") {
      if (value == nullptr) return PatchError(op + " operation does not apply: missing value");
      if (op == "replace" && Resolve(doc, path) == nullptr) {
        return PatchError("replace operation does not apply: doc is missing key: " + path_text +
                          ": missing value");
      }
      if (op == "replace" && !path.empty()) RemoveAt(doc, path, nullptr, alloc);
      if (op == "replace" && !path.empty()) {
        // Replacing an array element must keep its position.
        Json* parent = Parent(doc, path);
        if (parent && parent->IsArray()) {
          if (!Add(doc, path, Json(*value, alloc), alloc)) return missing();
          continue;
        }
      }
      if (!Add(doc, path, Json(*value, alloc), alloc)) return missing();
    } else if (op == "remove") {
      if (!RemoveAt(doc, path, nullptr, alloc)) return missing();
    } else if (op == "move" || op == "copy") {
      std::string from_text = Str(op_value, "from");
      if (!SplitPointer(from_text, from)) return missing();
      Json moved;
      if (op == "move") {
        if (!RemoveAt(doc, from, &moved, alloc)) return missing();
      } else {
        Json* source = Resolve(doc, from);
        if (source == nullptr) return missing();
        moved.CopyFrom(*source, alloc);
      }
      if (!Add(doc, path, std::move(moved), alloc)) return missing();
    } else if (op == "test") {
      Json* current = Resolve(doc, path);
      if (current == nullptr || value == nullptr || *current != *value) {
        return PatchError("testing value " + path_text + " failed: test failed");
      }
    } else {
      return PatchError("Unexpected kind: " + op);
    }
  }
  return doc;
}

namespace {

void MergeInto(Json& target, const Json& patch, Alloc& alloc) {
  if (!patch.IsObject()) {
    target.CopyFrom(patch, alloc);
    return;
  }
  if (!target.IsObject()) target.SetObject();
  for (const auto& m : patch.GetObject()) {
    if (m.value.IsNull()) {
      target.RemoveMember(m.name);
      continue;
    }
    Json* existing = MutableMember(target, StrView(m.name));
    if (existing == nullptr) {
      Json fresh(rapidjson::kObjectType);
      MergeInto(fresh, m.value, alloc);
      target.AddMember(Json(m.name, alloc), std::move(fresh), alloc);
    } else {
      MergeInto(*existing, m.value, alloc);
    }
  }
}

}  // namespace

rapidjson::Document ApplyMergePatch(const Json& target, const Json& patch) {
  rapidjson::Document doc = Clone(target);
  MergeInto(doc, patch, doc.GetAllocator());
  return doc;
}

namespace {

constexpr std::string_view kSetOrder = "$setElementOrder/";
constexpr std::string_view kDeletePrimitive = "$deleteFromPrimitiveList/";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool SameKey(const Json& a, const Json& b, const std::string& key) {
  const Json* x = Member(a, key);
  const Json* y = Member(b, key);
  return x != nullptr && y != nullptr && *x == *y;
}

class StrategicMerger {
 public:
  StrategicMerger(const Json* schema, Alloc& alloc) : schema_(schema), alloc_(alloc) {}

  // Merges `patch` into `target` (an object) at `path`. Returns false after setting error_.
  bool MergeMap(Json& target, const Json& patch, FieldPath& path) {
    if (!target.IsObject()) target.SetObject();
    if (const Json* directive = Member(patch, "$patch")) {
      std::string_view d = StrView(*directive);
      if (d == "replace") {
        target.CopyFrom(patch, alloc_);
        target.RemoveMember("$patch");
        return true;
      }
      if (d != "merge" && d != "delete") return Fail("unknown patch type: " + std::string(d));
    }
    if (const Json* retain = Member(patch, "$retainKeys"); retain && retain->IsArray()) {
      for (auto it = target.MemberBegin(); it != target.MemberEnd();) {
        bool keep = std::any_of(retain->Begin(), retain->End(),
                                [&](const Json& k) { return k == it->name; });
        it = keep ? it + 1 : target.RemoveMember(it);
      }
    }
    for (const auto& m : patch.GetObject()) {
      std::string_view name = StrView(m.name);
      if (name == "$patch" || name == "$retainKeys" || StartsWith(name, kSetOrder)) continue;
      if (StartsWith(name, kDeletePrimitive)) {
        Json* list = MutableMember(target, name.substr(kDeletePrimitive.size()));
        if (list && list->IsArray() && m.value.IsArray()) {
          for (auto it = list->Begin(); it != list->End();) {
            bool drop = std::find(m.value.Begin(), m.value.End(), *it) != m.value.End();
            it = drop ? list->Erase(it) : it + 1;
          }
        }
        continue;
      }
      if (m.value.IsNull()) {
        target.RemoveMember(m.name);
        continue;
      }
      path.emplace_back(name);
      Json* existing = MutableMember(target, name);
      if (existing == nullptr) {
        target.AddMember(Json(m.name, alloc_), Json(rapidjson::kNullType), alloc_);
        existing = MutableMember(target, name);
      }
      bool ok = true;
      if (m.value.IsObject()) {
        const Json* d = Member(m.value, "$patch");
        if (d != nullptr && StrView(*d) == "delete") {
          target.RemoveMember(m.name);
        } else {
          if (!existing->IsObject()) existing->SetObject();
          ok = MergeMap(*existing, m.value, path);
        }
      } else if (m.value.IsArray()) {
        ok = MergeList(*existing, m.value, path);
      } else {
        existing->CopyFrom(m.value, alloc_);
      }
      path.pop_back();
      if (!ok) return false;
    }
    // $setElementOrder directives run after the lists they order were merged.
    for (const auto& m : patch.GetObject()) {
      std::string_view name = StrView(m.name);
      if (!StartsWith(name, kSetOrder)) continue;
      std::string list_name(name.substr(kSetOrder.size()));
      Json* list = MutableMember(target, list_name);
      if (list == nullptr || !list->IsArray() || !m.value.IsArray()) continue;
      path.push_back(list_name);
      Order(*list, m.value, ListSchemaAt(path, schema_));
      path.pop_back();
    }
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  bool Fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  bool MergeList(Json& target, const Json& patch, FieldPath& path) {
    ListSchema schema = ListSchemaAt(path, schema_);
    bool replace = std::any_of(patch.Begin(), patch.End(), [](const Json& e) {
      const Json* d = Member(e, "$patch");
      return d != nullptr && StrView(*d) == "replace";
    });
    if (replace || schema.type == ListSchema::Type::kAtomic || !target.IsArray()) {
      target.SetArray();
      for (const auto& e : patch.GetArray()) {
        if (Member(e, "$patch") != nullptr) continue;
        target.PushBack(Json(e, alloc_), alloc_);
      }
      return true;
    }
    if (schema.type == ListSchema::Type::kSet || schema.merge_key.empty()) {
      for (const auto& e : patch.GetArray()) {
        if (std::find(target.Begin(), target.End(), e) == target.End()) {
          target.PushBack(Json(e, alloc_), alloc_);
        }
      }
      return true;
    }
    path.emplace_back("[]");
    for (const auto& e : patch.GetArray()) {
      if (!e.IsObject() || Member(e, schema.merge_key) == nullptr) {
        path.pop_back();
        return Fail("map: " + Dump(e) +
                    " does not contain declared merge key: " + schema.merge_key);
      }
      auto match = std::find_if(target.Begin(), target.End(),
                                [&](const Json& t) { return SameKey(t, e, schema.merge_key); });
      const Json* d = Member(e, "$patch");
      if (d != nullptr && StrView(*d) == "delete") {
        if (match != target.End()) target.Erase(match);
        continue;
      }
      if (match == target.End()) {
        Json fresh(rapidjson::kObjectType);
        if (!MergeMap(fresh, e, path)) return false;
        target.PushBack(std::move(fresh), alloc_);
      } else if (!MergeMap(*match, e, path)) {
        return false;
      }
    }
    path.pop_back();
    return true;
  }

  // Reorders `list` so elements named in `order` come in that order; others keep their
  // relative order after them.
  void Order(Json& list, const Json& order, const ListSchema& schema) {
    auto rank = [&](const Json& item) -> size_t {
      for (size_t i = 0; i < order.Size(); ++i) {
        const Json& o = order[static_cast<rapidjson::SizeType>(i)];
        bool same = schema.merge_key.empty() ? o == item : SameKey(o, item, schema.merge_key);
        if (same) return i;
      }
      return order.Size();
    };
    std::vector<std::pair<size_t, Json>> items;
    for (auto& item : list.GetArray()) items.emplace_back(rank(item), std::move(item));
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    list.SetArray();
    for (auto& [r, item] : items) list.PushBack(std::move(item), alloc_);
  }

  const Json* schema_;
  Alloc& alloc_;
  std::string error_;
};

}  // namespace

mm::Result<rapidjson::Document> ApplyStrategicMergePatch(const Json& target, const Json& patch,
                                                         const Json* crd_schema) {
  if (!patch.IsObject()) return mm::Error::Api(BadRequest("strategic merge patch must be a map"));
  rapidjson::Document doc = Clone(target);
  StrategicMerger merger(crd_schema, doc.GetAllocator());
  FieldPath path;
  if (!merger.MergeMap(doc, patch, path)) return mm::Error::Api(BadRequest(merger.error()));
  return doc;
}

}  // namespace sandbox
