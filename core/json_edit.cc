#include "core/json_edit.h"

#include "core/json.h"
#include "core/json_builder.h"

namespace mm {

const JsonEdit* FindJsonEdit(std::span<const JsonEdit> edits, std::string_view name) {
  for (const JsonEdit& edit : edits) {
    if (edit.name == name) return &edit;
  }
  return nullptr;
}

bool IsZeroIntOrString(const rapidjson::Value* value) {
  return value != nullptr && ((value->IsInt() && value->GetInt() == 0) ||
                              (value->IsString() && std::string_view(value->GetString()) == "0"));
}

void ApplyJsonEdits(rapidjson::Value& object, std::span<const JsonEdit> edits,
                    rapidjson::Document::AllocatorType& allocator) {
  using Action = JsonEdit::Action;
  if (!object.IsObject()) return;
  for (const JsonEdit& edit : edits) {
    rapidjson::Value name(rapidjson::StringRef(edit.name.data(), edit.name.size()));
    auto found = object.FindMember(name);
    rapidjson::Value* member = found == object.MemberEnd() ? nullptr : &found->value;
    switch (edit.action) {
      case Action::kRemove:
        if (member != nullptr) object.RemoveMember(found);
        break;
      case Action::kRemoveZero:
        if (IsZeroIntOrString(member)) object.RemoveMember(found);
        break;
      case Action::kObject:
        ApplyJsonEdits(EnsureObject(object, edit.name, allocator), edit.edits, allocator);
        break;
      case Action::kInObject:
        if (member != nullptr) ApplyJsonEdits(*member, edit.edits, allocator);
        break;
      case Action::kEachObject:
        if (member == nullptr || !member->IsArray()) break;
        for (rapidjson::Value& item : member->GetArray()) {
          ApplyJsonEdits(item, edit.edits, allocator);
        }
        break;
      case Action::kPruneEmptied:
        if (member == nullptr || !member->IsObject()) break;
        ApplyJsonEdits(*member, edit.edits, allocator);
        if (member->ObjectEmpty()) object.RemoveMember(found);
        break;
      case Action::kString:
        SetMember(object, edit.name, JsonString(edit.text, allocator), allocator);
        break;
      case Action::kZeroIfAbsent:
        if (member == nullptr) SetMember(object, edit.name, rapidjson::Value(0), allocator);
        break;
    }
  }
}

}  // namespace mm
