// Fuzzes ParseJson: any text gives a value or an error, and a value prints as JSON that parses
// back to the same value, every number with its type and every double bit for bit (-0.0 stays
// -0.0; value equality alone would miss both).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/json.h"

namespace {

bool SameBits(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.GetType() != b.GetType()) return false;
  if (a.IsNumber()) {
    if (a.IsDouble() != b.IsDouble() || a.IsInt64() != b.IsInt64()) return false;
    if (!a.IsDouble()) return a == b;
    double x = a.GetDouble(), y = b.GetDouble();
    return std::memcmp(&x, &y, sizeof x) == 0;
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!SameBits(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (auto i = a.MemberBegin(), j = b.MemberBegin(); i != a.MemberEnd(); ++i, ++j) {
      if (i->name != j->name || !SameBits(i->value, j->value)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto value = mm::ParseJson(text, "fuzz");
  if (!value) return 0;
  std::string compact = mm::ToJson(*value);
  auto reread = mm::ParseJson(compact, "printed");
  if (!reread || *reread != *value || !SameBits(*reread, *value)) std::abort();
  if (mm::ToJson(*reread, mm::JsonStyle::kPretty) != mm::ToJson(*value, mm::JsonStyle::kPretty)) {
    std::abort();
  }
  return 0;
}
