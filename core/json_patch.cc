#include "core/json_patch.h"

#include <string>
#include <vector>

#include "core/json.h"

namespace mm {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

// Splits an RFC 6901 pointer into unescaped tokens; nullopt when it does not start with '/'.
std::optional<std::vector<std::string>> Tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') return std::nullopt;
  size_t start = 1;
  while (true) {
    size_t end = pointer.find('/', start);
    std::string token(pointer.substr(start, end == std::string_view::npos ? end : end - start));
    for (size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      if (i + 1 >= token.size() || (token[i + 1] != '0' && token[i + 1] != '1')) {
        return std::nullopt;
      }
      token.replace(i, 2, token[i + 1] == '0' ? "~" : "/");
    }
    tokens.push_back(std::move(token));
    if (end == std::string_view::npos) return tokens;
    start = end + 1;
  }
}

// Parses an array index token: digits only, no leading zero; `size` allowed when `append_ok`.
std::optional<rapidjson::SizeType> Index(const std::string& token, rapidjson::SizeType size,
                                         bool append_ok) {
  if (append_ok && token == "-") return size;
  if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0')) return {};
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  auto index = static_cast<rapidjson::SizeType>(std::stoul(token));
  if (index > size || (index == size && !append_ok)) return std::nullopt;
  return index;
}

// The value at `tokens`, or nullptr.
rapidjson::Value* Resolve(rapidjson::Value& root, const std::vector<std::string>& tokens,
                          size_t count) {
  rapidjson::Value* node = &root;
  for (size_t i = 0; i < count; ++i) {
    if (node->IsObject()) {
      auto it = node->FindMember(rapidjson::StringRef(tokens[i].c_str(), tokens[i].size()));
      if (it == node->MemberEnd()) return nullptr;
      node = &it->value;
    } else if (node->IsArray()) {
      auto index = Index(tokens[i], node->Size(), false);
      if (!index) return nullptr;
      node = &(*node)[*index];
    } else {
      return nullptr;
    }
  }
  return node;
}

Result<void> Remove(rapidjson::Value& root, const std::vector<std::string>& tokens,
                    rapidjson::Value* removed, Allocator& allocator) {
  if (tokens.empty()) return Error::Invalid("cannot remove the whole document");
  rapidjson::Value* parent = Resolve(root, tokens, tokens.size() - 1);
  const std::string& last = tokens.back();
  if (parent != nullptr && parent->IsObject()) {
    auto it = parent->FindMember(rapidjson::StringRef(last.c_str(), last.size()));
    if (it == parent->MemberEnd()) return Error::Invalid("path not found");
    if (removed != nullptr) removed->CopyFrom(it->value, allocator);
    parent->EraseMember(it);
    return {};
  }
  if (parent != nullptr && parent->IsArray()) {
    auto index = Index(last, parent->Size(), false);
    if (!index) return Error::Invalid("path not found");
    if (removed != nullptr) removed->CopyFrom((*parent)[*index], allocator);
    parent->Erase(parent->Begin() + *index);
    return {};
  }
  return Error::Invalid("path not found");
}

Result<void> Add(rapidjson::Value& root, const std::vector<std::string>& tokens,
                 rapidjson::Value value, Allocator& allocator) {
  if (tokens.empty()) {
    root = value;
    return {};
  }
  rapidjson::Value* parent = Resolve(root, tokens, tokens.size() - 1);
  const std::string& last = tokens.back();
  if (parent != nullptr && parent->IsObject()) {
    auto it = parent->FindMember(rapidjson::StringRef(last.c_str(), last.size()));
    if (it != parent->MemberEnd()) {
      it->value = value;
    } else {
      parent->AddMember(rapidjson::Value(last.c_str(), allocator), value, allocator);
    }
    return {};
  }
  if (parent != nullptr && parent->IsArray()) {
    auto index = Index(last, parent->Size(), true);
    if (!index) return Error::Invalid("array index out of bounds");
    parent->PushBack(rapidjson::Value(), allocator);
    for (rapidjson::SizeType i = parent->Size() - 1; i > *index; --i) {
      (*parent)[i] = (*parent)[i - 1];
    }
    (*parent)[*index] = value;
    return {};
  }
  return Error::Invalid("parent path not found");
}

Result<void> ApplyOperation(rapidjson::Document& target, const rapidjson::Value& operation) {
  Allocator& allocator = target.GetAllocator();
  std::string op = GetString(operation, "op");
  auto path = Tokens(GetString(operation, "path"));
  if (!path || FindMember(operation, "path") == nullptr) return Error::Invalid("invalid path");
  const rapidjson::Value* value = FindMember(operation, "value");
  auto needs_value = [&]() -> Result<rapidjson::Value> {
    if (value == nullptr) return Error::Invalid("missing value");
    return rapidjson::Value(*value, allocator);
  };
  if (op == "add" || op == "replace") {
    auto copy = needs_value();
    if (!copy) return std::move(copy).error();
    if (op == "add") return Add(target, *path, std::move(*copy), allocator);
    rapidjson::Value* current = Resolve(target, *path, path->size());
    if (current == nullptr) return Error::Invalid("path not found");
    *current = *copy;  // in place, so member order is kept
    return {};
  }
  if (op == "remove") return Remove(target, *path, nullptr, allocator);
  if (op == "test") {
    const rapidjson::Value* current = Resolve(target, *path, path->size());
    if (value == nullptr) return Error::Invalid("missing value");
    if (current == nullptr || *current != *value) return Error::Invalid("test failed");
    return {};
  }
  if (op == "move" || op == "copy") {
    auto from = Tokens(GetString(operation, "from"));
    if (!from || FindMember(operation, "from") == nullptr) return Error::Invalid("invalid from");
    rapidjson::Value moved;
    if (op == "move") {
      MM_RETURN_IF_ERROR(Remove(target, *from, &moved, allocator));
    } else {
      const rapidjson::Value* source = Resolve(target, *from, from->size());
      if (source == nullptr) return Error::Invalid("from path not found");
      moved.CopyFrom(*source, allocator);
    }
    return Add(target, *path, std::move(moved), allocator);
  }
  return Error::Invalid("unsupported operation \"" + op + "\"");
}

}  // namespace

Result<void> ApplyJsonPatch(rapidjson::Document& target, std::string_view patch_text) {
  auto patch = ParseJson(patch_text, "patch");
  if (!patch) return std::move(patch).error();
  if (!patch->IsArray()) return Error::Invalid("patch: expected a JSON array of operations");
  for (rapidjson::SizeType i = 0; i < patch->Size(); ++i) {
    const rapidjson::Value& operation = (*patch)[i];
    auto applied = ApplyOperation(target, operation);
    if (!applied) {
      return Error::Invalid("operation " + std::to_string(i) + " (" + GetString(operation, "op") +
                            " " + GetString(operation, "path") + "): " + applied.error().message());
    }
  }
  return {};
}

}  // namespace mm
