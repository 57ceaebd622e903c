#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace mm {

// Returns a ZIP archive holding one file, `name`, with `content` deflate-compressed, laid out as
// Go's archive/zip writes `Create(name)`: version 2.0, flag 0x8 (sizes in a data descriptor after
// the data), modification time and date zero, no extra fields or comments. The deflate stream
// itself comes from zlib, so its bytes may differ from Go's compress/flate for the same input;
// every ZIP reader (Go's included) reads back the same content.
std::string ZipSingleEntry(std::string_view name, std::string_view content);

// Returns the content of the first file of the ZIP archive `archive` (stored or deflated), as
// Go's zip.Reader finds it through the central directory; its CRC-32 is checked. Fails
// (kInvalid) on anything else: truncated or not a ZIP, ZIP64, encryption, another method, a
// corrupt stream, or content larger than `max_size` bytes.
Result<std::string> UnzipFirstEntry(std::string_view archive, size_t max_size = 16 << 20);

// What a ZIP archive's central directory states about a file's content: its CRC-32 and size.
struct ZipEntrySummary {
  uint32_t crc32 = 0;
  uint32_t size = 0;
  bool operator==(const ZipEntrySummary&) const = default;
};

// Returns the summary ZipSingleEntry records for `content`.
ZipEntrySummary SummaryOf(std::string_view content);

// Returns the summary of the first file of a ZIP archive of `archive_size` bytes whose last bytes
// are `tail`, read from the central directory as UnzipFirstEntry finds it, without reading the
// data (so neither its CRC-32 nor its deflate stream is checked). std::nullopt when `tail` does not
// hold the end record and the first central directory header, or when UnzipFirstEntry would refuse
// the entry (encrypted, ZIP64, a method other than store and deflate).
std::optional<ZipEntrySummary> FirstEntrySummary(std::string_view tail, size_t archive_size);

}  // namespace mm
