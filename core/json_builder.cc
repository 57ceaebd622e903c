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

rapidjson::Value Json::Build(rapidjson::Document::AllocatorType& allocator) const {
  struct Visitor {
    rapidjson::Document::AllocatorType& allocator;
    rapidjson::Value operator()(std::nullptr_t) const { return rapidjson::Value(); }
    rapidjson::Value operator()(bool value) const { return rapidjson::Value(value); }
    rapidjson::Value operator()(int64_t value) const {
      return rapidjson::Value(static_cast<int64_t>(value));
    }
    rapidjson::Value operator()(const std::string& value) const {
      return JsonString(value, allocator);
    }
    rapidjson::Value operator()(const CopyOf& copy) const {
      return rapidjson::Value(*copy.value, allocator);
    }
    rapidjson::Value operator()(const std::shared_ptr<const Members>& shared) const {
      const Members& members = *shared;
      rapidjson::Value object(rapidjson::kObjectType);
      for (const auto& [key, value] : members) {
        if (value.omitted()) continue;
        object.AddMember(JsonString(key.view(), allocator), value.Build(allocator), allocator);
      }
      return object;
    }
    rapidjson::Value operator()(const std::shared_ptr<const Items>& shared) const {
      const Items& items = *shared;
      rapidjson::Value array(rapidjson::kArrayType);
      array.Reserve(static_cast<rapidjson::SizeType>(items.size()), allocator);
      for (const Json& item : items) {
        if (!item.omitted()) array.PushBack(item.Build(allocator), allocator);
      }
      return array;
    }
    rapidjson::Value operator()(OmitTag) const { return rapidjson::Value(); }
  };
  return std::visit(Visitor{allocator}, data_);
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
