#include "tests/sandbox/json_util.h"

#include "core/json.h"

namespace sandbox {

const Json* Member(const Json& object, std::string_view name) {
  return mm::FindMember(object, name);
}

Json* MutableMember(Json& object, std::string_view name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(Ref(name));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

const Json* AtPath(const Json& object, std::string_view dotted_path) {
  const Json* current = &object;
  while (current != nullptr && !dotted_path.empty()) {
    size_t dot = dotted_path.find('.');
    current = Member(*current, dotted_path.substr(0, dot));
    dotted_path = dot == std::string_view::npos ? "" : dotted_path.substr(dot + 1);
  }
  return current;
}

std::string Str(const Json& object, std::string_view name) { return mm::GetString(object, name); }

std::string_view StrView(const Json& value) {
  if (!value.IsString()) return {};
  return {value.GetString(), value.GetStringLength()};
}

void Set(Json& object, std::string_view name, const Json& value, Alloc& alloc) {
  if (!object.IsObject()) object.SetObject();
  Json copy(value, alloc);
  if (Json* existing = MutableMember(object, name)) {
    *existing = std::move(copy);
    return;
  }
  object.AddMember(Json(name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc),
                   std::move(copy), alloc);
}

void SetString(Json& object, std::string_view name, std::string_view value, Alloc& alloc) {
  Json v(value.data(), static_cast<rapidjson::SizeType>(value.size()), alloc);
  Set(object, name, v, alloc);
}

void SetInt(Json& object, std::string_view name, int64_t value, Alloc& alloc) {
  Set(object, name, Json(value), alloc);
}

Json& Child(Json& object, std::string_view name, Alloc& alloc) {
  Json* existing = MutableMember(object, name);
  if (existing == nullptr || !existing->IsObject()) {
    Set(object, name, Json(rapidjson::kObjectType), alloc);
    existing = MutableMember(object, name);
  }
  return *existing;
}

void Remove(Json& object, std::string_view name) {
  if (object.IsObject()) object.RemoveMember(Ref(name));
}

rapidjson::Document Clone(const Json& value) {
  rapidjson::Document doc;
  doc.CopyFrom(value, doc.GetAllocator());
  return doc;
}

ObjectPtr Freeze(rapidjson::Document doc) {
  // A document's own pool grows in 64 KiB chunks; a stored object is copied into a pool of 1 KiB
  // chunks so that ten thousand small objects cost megabytes, not hundreds of them.
  struct Frozen {
    rapidjson::MemoryPoolAllocator<> pool{1024};
    rapidjson::Document doc{&pool};
  };
  auto frozen = std::make_shared<Frozen>();
  frozen->doc.CopyFrom(doc, frozen->pool);
  return ObjectPtr(frozen, &frozen->doc);
}

std::string ObjectKey(std::string_view ns, std::string_view name) {
  std::string key;
  key.reserve(ns.size() + name.size() + 1);
  key.append(ns).append("/").append(name);
  return key;
}

std::string Dump(const Json& value) { return mm::ToJson(value); }

}  // namespace sandbox

namespace sandbox {

bool NestingWithin(std::string_view text, int limit) {
  return mm::FindExcessiveNesting(text, limit, /*skip_json_strings=*/true) ==
         std::string_view::npos;
}

std::string Base64Encode(std::string_view data) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kTable[(n >> shift) & 63]);
  }
  if (i < data.size()) {
    uint32_t n = static_cast<uint8_t>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<uint8_t>(data[i + 1]) << 8;
    out.push_back(kTable[(n >> 18) & 63]);
    out.push_back(kTable[(n >> 12) & 63]);
    out.push_back(i + 1 < data.size() ? kTable[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

bool Base64Decode(std::string_view text, std::string& out) {
  out.clear();
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else if (c == '=') {
      break;
    } else {
      return false;
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return true;
}

}  // namespace sandbox
