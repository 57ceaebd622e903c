// Fuzzes ContentDecoder: any bytes, fed in two pieces split where the first byte says, decode or
// fail with an error; never a crash, a hang or output past the 64 KiB chunk limit. Whatever
// decodes in pieces decodes the same in one piece.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kubeapi/content_decoder.h"

namespace {

// Returns true when `input` decoded (into `out`) without error.
bool Decode(std::string_view input, size_t split, std::string& out) {
  auto decoder = mm::kubeapi::ContentDecoder::Create("gzip", [&out](std::string_view chunk) {
    if (chunk.empty() || chunk.size() > 64 * 1024) std::abort();
    out.append(chunk);
    return out.size() < (size_t{64} << 20);  // a bomb stops here
  });
  if (!decoder) std::abort();
  if (!(*decoder)->Write(input.substr(0, split))) return false;
  if (!(*decoder)->Write(input.substr(split))) return false;
  return static_cast<bool>((*decoder)->Finish());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = size == 0 ? 0 : static_cast<size_t>(data[0]) * size / 256;
  std::string pieces, whole;
  bool ok_pieces = Decode(input, split, pieces);
  bool ok_whole = Decode(input, size, whole);
  if (ok_pieces != ok_whole || pieces != whole) std::abort();
  return 0;
}
