#include "core/json_builder.h"

namespace mm {

Json Json::Object(std::initializer_list<Member> members) { return Object(Members(members)); }

Json Json::Object(std::vector<Member> members) {
  Json json;
  json.data_ = std::make_shared<const Members>(std::move(members));
  return json;
}

Json Json::Array(std::initializer_list<Json> items) { return Array(Items(items)); }

Json Json::Array(std::vector<Json> items) {
  Json json;
  json.data_ = std::make_shared<const Items>(std::move(items));
  return json;
}

Json Json::StringMap(const std::map<std::string, std::string>& map) {
  Members members;
  members.reserve(map.size());
  for (const auto& [key, value] : map) members.emplace_back(key, Json(value));
  return Object(std::move(members));
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
    bool operator()(const CopyOf& copy) const { return copy.value->Accept(out); }
    bool operator()(const std::shared_ptr<const Members>& shared) const {
      out.StartObject();
      rapidjson::SizeType count = 0;
      for (const auto& [key, value] : *shared) {
        if (value.omitted()) continue;
        std::string_view name = key.view();
        out.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()), true);
        value.Emit(out);
        ++count;
      }
      return out.EndObject(count);
    }
    bool operator()(const std::shared_ptr<const Items>& shared) const {
      out.StartArray();
      rapidjson::SizeType count = 0;
      for (const Json& item : *shared) {
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
