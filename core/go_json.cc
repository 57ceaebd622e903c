#include "core/go_json.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/go_string.h"

namespace mm {
namespace {

// The serialized text, written through a cursor: each token reserves its worst-case room once,
// instead of std::string checking its capacity on every character. The first 4 KiB (most records)
// are on the stack and, like the heap blocks past them, not zero-filled first: only what is
// written is read, and the string is made once, of its exact size.
class Output {
 public:
  Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  // Returns where to write at least `size` more characters; Advance() commits them. Inline but for
  // the rare growth: it runs for every token.
  char* Room(size_t size) {
    if (static_cast<size_t>(end_ - cursor_) < size) Grow(size);
    return cursor_;
  }
  void Advance(char* end) { cursor_ = end; }
  void Put(char c) { *Room(1) = c, ++cursor_; }
  size_t size() const { return static_cast<size_t>(cursor_ - begin_); }
  void Truncate(size_t size) { cursor_ = begin_ + size; }
  std::string Take() const { return std::string(begin_, cursor_); }

 private:
  // Moves the text to a heap block with room for `size` more characters (at least twice the
  // current room). Never inlined, so that Room stays small enough to be.
  [[gnu::noinline]] void Grow(size_t size) {
    size_t used = this->size();
    size_t capacity = std::max(2 * static_cast<size_t>(end_ - begin_), used + size);
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    std::memcpy(grown.get(), begin_, used);
    heap_ = std::move(grown);
    begin_ = heap_.get();
    cursor_ = begin_ + used;
    end_ = begin_ + capacity;
  }

  char stack_[4096];
  std::unique_ptr<char[]> heap_;
  char* begin_ = stack_;
  char* cursor_ = stack_;
  char* end_ = stack_ + sizeof stack_;
};

void AppendString(Output& output, std::string_view text) {
  output.Advance(PutGoString(output.Room(GoStringRoom(text.size())), text));
}

void AppendNumber(Output& output, const rapidjson::Value& value) {
  constexpr size_t kRoom = 32;
  char* out = output.Room(kRoom);
  std::to_chars_result written{};
  if (value.IsInt64()) {
    written = std::to_chars(out, out + kRoom, value.GetInt64());
  } else if (value.IsUint64()) {
    written = std::to_chars(out, out + kRoom, value.GetUint64());
  } else {
    // The same text as printf's %.17g; Kubernetes objects hold integers, so this is rare.
    written = std::to_chars(out, out + kRoom, value.GetDouble(), std::chars_format::general, 17);
  }
  output.Advance(written.ptr);
}

using Member = rapidjson::Value::Member;
using Edits = std::span<const JsonEdit>;
using Action = JsonEdit::Action;

// Writes `value`; returns, for an object, how many members it has once edited (0 otherwise).
size_t Append(Output& output, const rapidjson::Value& value, Edits edits = {});

std::string_view NameOf(const Member* member) {
  return {member->name.GetString(), member->name.GetStringLength()};
}

uint32_t BigEndian32(const char* in) {
  uint32_t word;
  std::memcpy(&word, in, 4);
  return std::endian::native == std::endian::little ? __builtin_bswap32(word) : word;
}

// The first 8 bytes of `name` as a big-endian integer, zero-padded: integers compare as the
// bytes do, so names whose first 8 bytes differ are ordered by one comparison. A shorter name is
// read as (overlapping) pieces, each shifted to its bytes' place, instead of byte by byte.
uint64_t NamePrefix(std::string_view name) {
  const char* in = name.data();
  size_t size = name.size();
  if (size >= 8) {
    uint64_t word;
    std::memcpy(&word, in, 8);
    return std::endian::native == std::endian::little ? __builtin_bswap64(word) : word;
  }
  if (size >= 4) {  // bytes 0-3 and size-4 to size-1
    return uint64_t{BigEndian32(in)} << 32 | uint64_t{BigEndian32(in + size - 4)}
                                                 << (64 - 8 * size);
  }
  if (size == 0) return 0;
  auto byte = [&](size_t i) { return uint64_t{static_cast<unsigned char>(in[i])} << (56 - 8 * i); };
  return byte(0) | byte(size / 2) | byte(size - 1);
}

// Whether Go's cleaning drops a member of value `value` outright: null or "" (go_json.h).
bool Dropped(const rapidjson::Value& value) { return !value.IsObject() && !GoKeepsMember(value); }

// Most objects have at most this many members: their order is kept on the stack.
constexpr size_t kSmallObject = 32;

// A member to write: the member itself or a stand-in for its edited value, and the edits inside.
struct Entry {  // trivial, so that arrays of them on the stack cost nothing to declare
  const Member* member;
  const JsonEdit* edits;
  size_t edit_count;
  uint64_t name_prefix;  // NamePrefix of the member's name, set by SortByName
};

// Bytewise order of member names. Equal prefixes (zero padding makes "ab" and "ab\0" equal too)
// fall back to comparing the names.
bool NameLess(const Entry& a, const Entry& b) {
  if (a.name_prefix != b.name_prefix) return a.name_prefix < b.name_prefix;
  return NameOf(a.member) < NameOf(b.member);
}

// Which of an object's edits name one of its members: noted while its members are read, so that
// the edits adding absent members need no second search (past the 64th edit, they search).
class Present {
 public:
  Present(const rapidjson::Value& object, Edits edits) : object_(object), edits_(edits) {}
  // The edit naming `member` (null when none), noted as present.
  const JsonEdit* Find(const Member& member) {
    if (edits_.empty()) return nullptr;
    const JsonEdit* edit = FindJsonEdit(edits_, NameOf(&member));
    size_t index = edit ? static_cast<size_t>(edit - edits_.data()) : kTracked;
    if (index < kTracked) bits_ |= uint64_t{1} << index;
    return edit;
  }
  // Whether the edit at `index` names a member (all members must have been through Find).
  bool Has(size_t index) const {
    if (index < kTracked) return (bits_ >> index & 1) != 0;
    for (const Member& member : object_.GetObject()) {
      if (NameOf(&member) == edits_[index].name) return true;
    }
    return false;
  }

 private:
  static constexpr size_t kTracked = 64;
  const rapidjson::Value& object_;
  Edits edits_;
  uint64_t bits_ = 0;
};

// Whether the edit adds its member when the member is absent.
bool AddsAbsent(const JsonEdit& edit) {
  return edit.action == Action::kObject || edit.action == Action::kString ||
         edit.action == Action::kZeroIfAbsent;
}

// How many members `object` has once `edits` are applied (as ApplyJsonEdits would).
size_t EditedCount(const rapidjson::Value& object, Edits edits) {
  size_t count = 0;
  Present present(object, edits);
  for (const Member& member : object.GetObject()) {
    const JsonEdit* edit = present.Find(member);
    if (edit == nullptr) {
      ++count;
    } else if (edit->action == Action::kRemove) {
    } else if (edit->action == Action::kRemoveZero) {
      count += IsZeroIntOrString(&member.value) ? 0 : 1;
    } else if (edit->action == Action::kPruneEmptied && member.value.IsObject()) {
      count += EditedCount(member.value, edit->edits) > 0 ? 1 : 0;
    } else {
      ++count;
    }
  }
  for (size_t i = 0; i < edits.size(); ++i) {
    if (AddsAbsent(edits[i]) && !present.Has(i)) ++count;
  }
  return count;
}

// Stand-ins for the members that edits add or replace, on the caller's stack.
class StandIns {
 public:
  explicit StandIns(Member* members) : members_(members) {}
  const Member* Add(std::string_view name, rapidjson::Value value) {
    Member& member = members_[used_++];
    member.name.SetString(rapidjson::StringRef(name.data(), name.size()));
    member.value = std::move(value);
    return &member;
  }

 private:
  Member* members_;
  size_t used_ = 0;
};

rapidjson::Value StringRefValue(std::string_view text) {
  return rapidjson::Value(rapidjson::StringRef(text.data(), text.size()));
}

// Collects into `order` the members of `object` once edited, other than those the cleaning drops
// (null or ""); returns how many members the edited object has (dropped or not) and sets `count`.
size_t CollectMembers(const rapidjson::Value& object, Edits edits, Entry* order,
                      StandIns& stand_ins, size_t& count) {
  size_t edited = 0;
  count = 0;
  auto add = [&](const Member* member, Edits inner) {
    ++edited;
    if (Dropped(member->value)) return;
    order[count++] = {member, inner.data(), inner.size(), 0};
  };
  Present present(object, edits);
  for (const Member& member : object.GetObject()) {
    const JsonEdit* edit = present.Find(member);
    if (edit == nullptr) {
      add(&member, {});
      continue;
    }
    const rapidjson::Value& value = member.value;
    switch (edit->action) {
      case Action::kRemove:
        break;
      case Action::kRemoveZero:
        if (!IsZeroIntOrString(&value)) add(&member, {});
        break;
      case Action::kObject:
        add(value.IsObject() ? &member
                             : stand_ins.Add(edit->name, rapidjson::Value(rapidjson::kObjectType)),
            edit->edits);
        break;
      case Action::kInObject:
        add(&member, value.IsObject() ? edit->edits : Edits{});
        break;
      case Action::kEachObject:
        add(&member, value.IsArray() ? edit->edits : Edits{});
        break;
      case Action::kPruneEmptied:
        if (!value.IsObject()) {
          add(&member, {});
        } else if (EditedCount(value, edit->edits) > 0) {
          add(&member, edit->edits);
        }
        break;
      case Action::kString:
        add(stand_ins.Add(edit->name, StringRefValue(edit->text)), {});
        break;
      case Action::kZeroIfAbsent:
        add(&member, {});
        break;
    }
  }
  for (size_t i = 0; i < edits.size(); ++i) {
    const JsonEdit& edit = edits[i];
    if (!AddsAbsent(edit) || present.Has(i)) continue;
    if (edit.action == Action::kObject) {
      add(stand_ins.Add(edit.name, rapidjson::Value(rapidjson::kObjectType)), edit.edits);
    } else if (edit.action == Action::kString) {
      add(stand_ins.Add(edit.name, StringRefValue(edit.text)), {});
    } else if (edit.action == Action::kZeroIfAbsent) {
      add(stand_ins.Add(edit.name, rapidjson::Value(0)), {});
    }
  }
  return edited;
}

// Sorts `order` by name: by insertion when small (most objects; few comparisons when they are
// nearly in order already), else std::sort.
void SortByName(Entry* order, size_t count) {
  if (count < 2) return;
  for (size_t i = 0; i < count; ++i) order[i].name_prefix = NamePrefix(NameOf(order[i].member));
  constexpr size_t kSmall = 16;
  if (count > kSmall) {
    std::sort(order, order + count, [](const Entry& a, const Entry& b) { return NameLess(a, b); });
    return;
  }
  for (size_t i = 1; i < count; ++i) {
    Entry entry = order[i];
    size_t j = i;
    for (; j > 0 && NameLess(entry, order[j - 1]); --j) order[j] = order[j - 1];
    order[j] = entry;
  }
}

// Writes `,"name":`, without the comma before the first member.
void AppendKey(Output& output, bool first, std::string_view name) {
  char* out = output.Room(GoStringRoom(name.size()) + 2);
  *out = ',';
  out = PutGoString(first ? out : out + 1, name);
  *out = ':';
  output.Advance(out + 1);
}

// Writes the `count` members in `order` (sorted here). A member whose value is an object that the
// cleaning empties is written, then taken back: what GoKeepsMember decides, in one pass.
void AppendMembers(Output& output, Entry* order, size_t count) {
  SortByName(order, count);
  output.Put('{');
  bool first = true;
  for (size_t i = 0; i < count; ++i) {
    const Member& member = *order[i].member;
    size_t mark = output.size();
    AppendKey(output, first, NameOf(&member));
    size_t value = output.size();
    size_t members = Append(output, member.value, {order[i].edits, order[i].edit_count});
    bool emptied = member.value.IsObject() && members > 0 && output.size() - value == 2;
    if (emptied) {
      output.Truncate(mark);
    } else {
      first = false;
    }
  }
  output.Put('}');
}

// Writes `object` edited, with the stand-ins it needs in `stand_in_storage`.
size_t AppendEdited(Output& output, const rapidjson::Value& object, Edits edits,
                    Member* stand_in_storage) {
  size_t room = object.MemberCount() + edits.size();
  StandIns stand_ins(stand_in_storage);
  size_t count = 0;
  size_t edited = 0;
  if (room <= kSmallObject) {
    Entry order[kSmallObject];
    edited = CollectMembers(object, edits, order, stand_ins, count);
    AppendMembers(output, order, count);
  } else {
    std::vector<Entry> order(room);
    edited = CollectMembers(object, edits, order.data(), stand_ins, count);
    AppendMembers(output, order.data(), count);
  }
  return edited;
}

// Writes `object`, which has no edits and at most kSmallObject members: what most objects are,
// so without CollectMembers' edits and stand-ins.
void AppendSmallUnedited(Output& output, const rapidjson::Value& object) {
  Entry order[kSmallObject];
  size_t count = 0;
  for (const Member& member : object.GetObject()) {
    if (!Dropped(member.value)) order[count++] = {&member, nullptr, 0, 0};
  }
  AppendMembers(output, order, count);
}

size_t AppendObject(Output& output, const rapidjson::Value& object, Edits edits) {
  constexpr size_t kFewEdits = 8;
  if (edits.empty() && object.MemberCount() <= kSmallObject) {
    AppendSmallUnedited(output, object);
    return object.MemberCount();
  }
  if (edits.empty()) return AppendEdited(output, object, edits, nullptr);
  if (edits.size() <= kFewEdits) {
    Member stand_ins[kFewEdits];
    return AppendEdited(output, object, edits, stand_ins);
  }
  std::vector<Member> stand_ins(edits.size());
  return AppendEdited(output, object, edits, stand_ins.data());
}

void AppendLiteral(Output& output, std::string_view literal) {
  char* out = output.Room(literal.size());
  std::memcpy(out, literal.data(), literal.size());
  output.Advance(out + literal.size());
}

size_t Append(Output& output, const rapidjson::Value& value, Edits edits) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      AppendLiteral(output, "null");
      break;
    case rapidjson::kFalseType:
      AppendLiteral(output, "false");
      break;
    case rapidjson::kTrueType:
      AppendLiteral(output, "true");
      break;
    case rapidjson::kStringType:
      AppendString(output, {value.GetString(), value.GetStringLength()});
      break;
    case rapidjson::kNumberType:
      AppendNumber(output, value);
      break;
    case rapidjson::kObjectType:
      return AppendObject(output, value, edits);
    case rapidjson::kArrayType: {
      // Edits here are those of every object item (JsonEdit::kEachObject).
      output.Put('[');
      bool first = true;
      for (const rapidjson::Value& item : value.GetArray()) {
        if (!first) output.Put(',');
        first = false;
        Append(output, item, item.IsObject() ? edits : Edits{});
      }
      output.Put(']');
      break;
    }
  }
  return 0;
}

}  // namespace

bool GoKeepsObject(const rapidjson::Value& object) {
  if (object.ObjectEmpty()) return true;
  for (const auto& member : object.GetObject()) {
    if (GoKeepsMember(member.value)) return true;
  }
  return false;
}

bool IsEmptyStructs(const rapidjson::Value& value) {
  if (!value.IsObject()) return false;
  for (const auto& member : value.GetObject()) {
    if (GoKeepsMember(member.value) && !IsEmptyStructs(member.value)) return false;
  }
  return true;
}

std::string GoCanonicalJson(const rapidjson::Value& value) { return GoCanonicalJson(value, {}); }

std::string GoCanonicalJson(const rapidjson::Value& value, std::span<const JsonEdit> edits) {
  Output output;
  Append(output, value, value.IsObject() ? edits : Edits{});
  return output.Take();
}

}  // namespace mm
