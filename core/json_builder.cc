#include "core/json_builder.h"

namespace mm {

Json::Members Json::NewMembers(size_t size) {
  return {std::make_shared_for_overwrite<Member[]>(size), size};
}

Json::Items Json::NewItems(size_t size) {
  return {std::make_shared_for_overwrite<Json[]>(size), size};
}

Json Json::Object(std::initializer_list<Member> members) {
  Members shared = NewMembers(members.size());
  Member* out = shared.items.get();
  for (const Member& member : members) {
    out->first.TakeFrom(member.first);
    out->second.TakeFrom(member.second);
    ++out;
  }
  return Json(std::move(shared));
}

Json Json::Object(std::vector<Member> members) {
  Members shared = NewMembers(members.size());
  std::move(members.begin(), members.end(), shared.items.get());
  return Json(std::move(shared));
}

Json Json::Array(std::initializer_list<Json> items) {
  Items shared = NewItems(items.size());
  Json* out = shared.items.get();
  for (const Json& item : items) (out++)->TakeFrom(item);
  return Json(std::move(shared));
}

Json Json::Array(std::vector<Json> items) {
  Items shared = NewItems(items.size());
  std::move(items.begin(), items.end(), shared.items.get());
  return Json(std::move(shared));
}

Json Json::StringMap(const std::map<std::string, std::string>& map) {
  Members shared = NewMembers(map.size());
  Member* out = shared.items.get();
  for (const auto& [key, value] : map) *out++ = Member(key, Json(value));
  return Json(std::move(shared));
}

Json Json::Copy(const rapidjson::Value* value) {
  if (value == nullptr) return Omit();
  Json json;
  json.data_ = CopyOf{value};
  return json;
}

Json Json::Omit() {
  Json json;
  json.data_ = OmitTag{};
  return json;
}

// Values are emitted as SAX events into a document (as rapidjson's own deep copy does), which
// allocates every object's members and every array's items once, at their final size.
bool Json::Emit(SaxDocument& out) const {
  struct Visitor {
    SaxDocument& out;
    bool operator()(std::nullptr_t) const { return out.Null(); }
    bool operator()(bool value) const { return out.Bool(value); }
    bool operator()(int64_t value) const { return out.Int64(value); }
    bool operator()(const std::string& value) const {
      return out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()), true);
    }
    bool operator()(const Literal& literal) const {
      return out.String(literal.text, static_cast<rapidjson::SizeType>(literal.size), true);
    }
    bool operator()(const CopyOf& copy) const { return copy.value->Accept(out); }
    bool operator()(const Members& members) const {
      out.StartObject();
      rapidjson::SizeType count = 0;
      for (const auto& [key, value] : members) {
        if (value.omitted()) continue;
        std::string_view name = key.view();
        out.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()), true);
        value.Emit(out);
        ++count;
      }
      return out.EndObject(count);
    }
    bool operator()(const Items& items) const {
      out.StartArray();
      rapidjson::SizeType count = 0;
      for (const Json& item : items) {
        if (item.omitted()) continue;
        item.Emit(out);
        ++count;
      }
      return out.EndArray(count);
    }
    bool operator()(OmitTag) const { return out.Null(); }
  };
  return std::visit(Visitor{out}, data_);
}

rapidjson::Value Json::Build(rapidjson::Document::AllocatorType& allocator) const {
  return BuildWithSax(allocator, [this](SaxDocument& out) { return Emit(out); });
}

rapidjson::Document Json::BuildDocument() const {
  rapidjson::Document document;
  rapidjson::Value value = Build(document.GetAllocator());
  static_cast<rapidjson::Value&>(document).Swap(value);
  return document;
}

rapidjson::Value JsonString(std::string_view text, rapidjson::Document::AllocatorType& allocator) {
  return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}

void SetMember(rapidjson::Value& object, std::string_view key, rapidjson::Value value,
               rapidjson::Document::AllocatorType& allocator) {
  auto it = object.FindMember(rapidjson::Value(
      rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  if (it != object.MemberEnd()) {
    it->value = std::move(value);
    return;
  }
  object.AddMember(JsonString(key, allocator), std::move(value), allocator);
}

rapidjson::Value& EnsureObject(rapidjson::Value& object, std::string_view key,
                               rapidjson::Document::AllocatorType& allocator) {
  auto it = object.FindMember(rapidjson::Value(
      rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  if (it == object.MemberEnd()) {
    object.AddMember(JsonString(key, allocator), rapidjson::Value(rapidjson::kObjectType),
                     allocator);
    return (object.MemberEnd() - 1)->value;
  }
  if (!it->value.IsObject()) it->value.SetObject();
  return it->value;
}

}  // namespace mm
