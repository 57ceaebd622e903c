#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace mm {

// Fills `size` bytes at `out` with random data. Injected: core/ has no entropy source of its own,
// so tests pass a deterministic one and the engine a cryptographic one.
using RandomBytes = std::function<void(uint8_t* out, size_t size)>;

// The operator's random identifiers (New16ID / New28ID): a UUIDv4 from `random`, encoded in
// base32 with the alphabet `ybndrfg8ejkmcpqxot1uwisza345h769` and `=` padding, truncated to
// `length`. QUIRK copied: 16 bytes make 26 characters, so a 28-character ID ends with "==".
std::string NewOperatorId(const RandomBytes& random, size_t length);

}  // namespace mm
