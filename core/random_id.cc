#include "core/random_id.h"

#include <array>

namespace mm {
namespace {

std::string EncodeBase32(const uint8_t* data, size_t size, std::string_view alphabet) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += alphabet[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  while (out.size() % 8 != 0) out += '=';
  return out;
}

}  // namespace

std::string NewOperatorId(const RandomBytes& random, size_t length) {
  std::array<uint8_t, 16> uuid{};
  random(uuid.data(), uuid.size());
  uuid[6] = static_cast<uint8_t>((uuid[6] & 0x0f) | 0x40);  // version 4
  uuid[8] = static_cast<uint8_t>((uuid[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string id = EncodeBase32(uuid.data(), uuid.size(), "ybndrfg8ejkmcpqxot1uwisza345h769");
  return id.substr(0, length);
}

}  // namespace mm
