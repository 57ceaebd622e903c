// Fuzzes ParseJson: any text gives a value or an error, and a value prints as JSON that parses
// back to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto value = mm::ParseJson(text, "fuzz");
  if (!value) return 0;
  std::string compact = mm::ToJson(*value);
  auto reread = mm::ParseJson(compact, "printed");
  if (!reread || *reread != *value) std::abort();
  if (mm::ToJson(*reread, mm::JsonStyle::kPretty) != mm::ToJson(*value, mm::JsonStyle::kPretty)) {
    std::abort();
  }
  return 0;
}
