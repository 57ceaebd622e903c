#include "core/go_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>
#include <vector>

namespace mm {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendUnicodeEscape(std::string& out, unsigned code) {
  out += "\\u";
  for (int shift : {12, 8, 4, 0}) out += kHex[(code >> shift) & 0xf];
}

// The length of the valid UTF-8 sequence at text[i], or 0 when it is not valid.
size_t Utf8Length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length = lead < 0xc2 ? 0 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  unsigned second = byte(i + 1);
  if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) ||
      (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f)) {
    return 0;  // overlong, surrogate or beyond U+10FFFF
  }
  return length;
}

// Whether Go writes the byte as it is: printable ASCII other than `"`, `\\`, `<`, `>` and `&`.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c)
    plain[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
  return plain;
}();

void AppendString(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    // Runs of plain bytes (nearly all of them) are copied at once.
    size_t run = i;
    while (run < text.size() && kPlain[static_cast<unsigned char>(text[run])]) ++run;
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t length = Utf8Length(text, i);
      if (length == 0) {
        out += "\\ufffd";
        ++i;
        continue;
      }
      std::string_view sequence = text.substr(i, length);
      if (sequence == "\xe2\x80\xa8" || sequence == "\xe2\x80\xa9") {
        AppendUnicodeEscape(out, sequence == "\xe2\x80\xa8" ? 0x2028 : 0x2029);
      } else {
        out += sequence;
      }
      i += length;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
      case '>':
      case '&':
        AppendUnicodeEscape(out, c);
        break;
      default:
        if (c < 0x20) {
          AppendUnicodeEscape(out, c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

void AppendNumber(std::string& out, const rapidjson::Value& value) {
  char buffer[32];
  std::to_chars_result written{};
  if (value.IsInt64()) {
    written = std::to_chars(buffer, buffer + sizeof buffer, value.GetInt64());
  } else if (value.IsUint64()) {
    written = std::to_chars(buffer, buffer + sizeof buffer, value.GetUint64());
  } else {
    // The same text as printf's %.17g; Kubernetes objects hold integers, so this is rare.
    written = std::to_chars(buffer, buffer + sizeof buffer, value.GetDouble(),
                            std::chars_format::general, 17);
  }
  out.append(buffer, written.ptr);
}

void Append(std::string& out, const rapidjson::Value& value);

using Member = rapidjson::Value::Member;

// Writes the members of `object` in `order` (sorted here). A member whose value is an object that
// the cleaning empties is written, then taken back: what GoKeepsMember decides, in one pass.
void AppendMembers(std::string& out, const rapidjson::Value& object, const Member** order) {
  size_t count = 0;
  for (const Member& member : object.GetObject()) {
    bool dropped =
        member.value.IsNull() || (member.value.IsString() && member.value.GetStringLength() == 0);
    if (!dropped) order[count++] = &member;
  }
  std::sort(order, order + count, [](const Member* a, const Member* b) {
    return std::string_view(a->name.GetString(), a->name.GetStringLength()) <
           std::string_view(b->name.GetString(), b->name.GetStringLength());
  });
  out += '{';
  for (size_t i = 0; i < count; ++i) {
    const Member& member = *order[i];
    size_t mark = out.size();
    if (out.back() != '{') out += ',';
    AppendString(out, {member.name.GetString(), member.name.GetStringLength()});
    out += ':';
    size_t value = out.size();
    Append(out, member.value);
    bool emptied =
        member.value.IsObject() && !member.value.ObjectEmpty() && out.size() - value == 2;
    if (emptied) out.resize(mark);
  }
  out += '}';
}

void AppendObject(std::string& out, const rapidjson::Value& object) {
  constexpr size_t kSmall = 32;  // most objects: their order on the stack
  if (object.MemberCount() <= kSmall) {
    const Member* order[kSmall];
    AppendMembers(out, object, order);
  } else {
    std::vector<const Member*> order(object.MemberCount());
    AppendMembers(out, object, order.data());
  }
}

void Append(std::string& out, const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      out += "null";
      break;
    case rapidjson::kFalseType:
      out += "false";
      break;
    case rapidjson::kTrueType:
      out += "true";
      break;
    case rapidjson::kStringType:
      AppendString(out, {value.GetString(), value.GetStringLength()});
      break;
    case rapidjson::kNumberType:
      AppendNumber(out, value);
      break;
    case rapidjson::kObjectType:
      AppendObject(out, value);
      break;
    case rapidjson::kArrayType:
      out += '[';
      for (const rapidjson::Value& item : value.GetArray()) {
        if (out.back() != '[') out += ',';
        Append(out, item);
      }
      out += ']';
      break;
  }
}

}  // namespace

bool GoKeepsMember(const rapidjson::Value& value) {
  if (value.IsNull()) return false;
  if (value.IsString()) return value.GetStringLength() > 0;
  if (!value.IsObject() || value.ObjectEmpty()) return true;
  for (const auto& member : value.GetObject()) {
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

std::string GoCanonicalJson(const rapidjson::Value& value) {
  std::string out;
  out.reserve(4096);
  Append(out, value);
  return out;
}

}  // namespace mm
