#include "core/zip_entry.h"

#include <zlib.h>

#include <bit>
#include <cstdint>
#include <cstring>

#include "core/crc32.h"

namespace mm {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kDataDescriptor = 0x08074b50;
constexpr uint16_t kVersion20 = 20;
constexpr uint16_t kFlagDataDescriptor = 0x8;
constexpr uint16_t kMethodStore = 0;
constexpr uint16_t kMethodDeflate = 8;

void Put16(std::string& out, uint16_t value) {
  out += static_cast<char>(value & 0xff);
  out += static_cast<char>(value >> 8);
}

void Put32(std::string& out, uint32_t value) {
  Put16(out, static_cast<uint16_t>(value & 0xffff));
  Put16(out, static_cast<uint16_t>(value >> 16));
}

// The little-endian field of `bytes` (2 or 4) bytes at `offset`: one load where the CPU is
// little-endian too (every reconcile reads a central directory per child).
uint32_t Get(std::string_view data, size_t offset, int bytes) {
  if (std::endian::native == std::endian::little) {
    uint32_t value = 0;
    std::memcpy(&value, data.data() + offset, bytes == 4 ? 4 : 2);
    return value;
  }
  uint32_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(data[offset + i]);
  }
  return value;
}

// Raw deflate (no zlib header), as a ZIP entry holds it.
std::string Deflate(std::string_view content) {
  z_stream stream{};
  // Level 5: what Go's archive/zip uses.
  deflateInit2(&stream, 5, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, static_cast<uLong>(content.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
  stream.avail_in = static_cast<uInt>(content.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);  // deflateBound guarantees one call suffices
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

Result<std::string> Inflate(std::string_view compressed, size_t size, size_t max_size) {
  if (size > max_size) return Error::Invalid("zip entry too large");
  std::string out(size, '\0');
  z_stream stream{};
  if (inflateInit2(&stream, -15) != Z_OK) return Error::Invalid("zip: cannot inflate");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int status = inflate(&stream, Z_FINISH);
  size_t produced = stream.total_out;
  inflateEnd(&stream);
  if (status != Z_STREAM_END || produced != size) {
    return Error::Invalid("zip: corrupt deflate stream");
  }
  return out;
}

// The first central directory entry of a ZIP archive, as Go's zip.Reader finds it.
struct CentralEntry {
  uint16_t method = 0;
  uint32_t crc = 0;
  uint32_t compressed_size = 0;
  uint32_t size = 0;
  size_t local = 0;  // offset of the local header
};

// Reads the first central directory entry from `data`, the archive's bytes from offset `base` to
// its end (all of it when `base` is 0). Fails (kInvalid) when `data` holds no end record or the
// entry is outside `data`, encrypted or ZIP64.
Result<CentralEntry> ReadFirstCentralEntry(std::string_view data, size_t base) {
  // The end-of-central-directory record is the last 22 bytes plus an optional comment.
  constexpr size_t kEndSize = 22;
  if (data.size() < kEndSize) return Error::Invalid("zip: too short");
  size_t end = data.size() - kEndSize;
  while (Get(data, end, 4) != kEndOfCentralDirectory) {
    if (end == 0 || data.size() - end > kEndSize + 0xffff) {
      return Error::Invalid("zip: no end of central directory");
    }
    --end;
  }
  if (Get(data, end + 10, 2) == 0) return Error::Invalid("zip: no entries");
  size_t directory = Get(data, end + 16, 4);
  if (directory < base || directory - base + 46 > data.size() ||
      Get(data, directory - base, 4) != kCentralHeader) {
    return Error::Invalid("zip: bad central directory");
  }
  directory -= base;
  CentralEntry entry;
  uint16_t flags = static_cast<uint16_t>(Get(data, directory + 8, 2));
  entry.method = static_cast<uint16_t>(Get(data, directory + 10, 2));
  entry.crc = Get(data, directory + 16, 4);
  entry.compressed_size = Get(data, directory + 20, 4);
  entry.size = Get(data, directory + 24, 4);
  entry.local = Get(data, directory + 42, 4);
  if ((flags & 0x1) != 0) return Error::Invalid("zip: encrypted entry");
  if (entry.compressed_size == 0xffffffff || entry.size == 0xffffffff) {
    return Error::Invalid("zip: ZIP64");
  }
  return entry;
}

}  // namespace

std::string ZipSingleEntry(std::string_view name, std::string_view content) {
  std::string compressed = Deflate(content);
  uint32_t crc = Crc32(content);
  auto sizes = [&](std::string& out) {
    Put32(out, crc);
    Put32(out, static_cast<uint32_t>(compressed.size()));
    Put32(out, static_cast<uint32_t>(content.size()));
  };
  std::string out;
  Put32(out, kLocalHeader);
  Put16(out, kVersion20);
  Put16(out, kFlagDataDescriptor);
  Put16(out, kMethodDeflate);
  Put32(out, 0);  // modification time and date
  Put32(out, 0);  // CRC-32 and sizes: in the data descriptor
  Put32(out, 0);
  Put32(out, 0);
  Put16(out, static_cast<uint16_t>(name.size()));
  Put16(out, 0);  // extra field length
  out += name;
  out += compressed;
  Put32(out, kDataDescriptor);
  sizes(out);
  size_t directory = out.size();
  Put32(out, kCentralHeader);
  Put16(out, kVersion20);  // made by
  Put16(out, kVersion20);  // needed to extract
  Put16(out, kFlagDataDescriptor);
  Put16(out, kMethodDeflate);
  Put32(out, 0);  // modification time and date
  sizes(out);
  Put16(out, static_cast<uint16_t>(name.size()));
  Put16(out, 0);  // extra field length
  Put16(out, 0);  // comment length
  Put16(out, 0);  // disk number
  Put16(out, 0);  // internal attributes
  Put32(out, 0);  // external attributes
  Put32(out, 0);  // offset of the local header
  out += name;
  size_t directory_size = out.size() - directory;
  Put32(out, kEndOfCentralDirectory);
  Put16(out, 0);  // this disk
  Put16(out, 0);  // disk with the directory
  Put16(out, 1);  // entries on this disk
  Put16(out, 1);  // entries
  Put32(out, static_cast<uint32_t>(directory_size));
  Put32(out, static_cast<uint32_t>(directory));
  Put16(out, 0);  // comment length
  return out;
}

Result<std::string> UnzipFirstEntry(std::string_view archive, size_t max_size) {
  auto entry = ReadFirstCentralEntry(archive, 0);
  if (!entry) return std::move(entry).error();
  if (entry->local + 30 > archive.size() || Get(archive, entry->local, 4) != kLocalHeader) {
    return Error::Invalid("zip: bad local header");
  }
  size_t data =
      entry->local + 30 + Get(archive, entry->local + 26, 2) + Get(archive, entry->local + 28, 2);
  if (data + entry->compressed_size > archive.size()) {
    return Error::Invalid("zip: truncated entry");
  }
  std::string_view stored = archive.substr(data, entry->compressed_size);
  Result<std::string> content = Error::Invalid("zip: unsupported compression method");
  if (entry->method == kMethodStore) {
    if (entry->size != entry->compressed_size || entry->size > max_size) {
      return Error::Invalid("zip: bad stored entry");
    }
    content = std::string(stored);
  } else if (entry->method == kMethodDeflate) {
    content = Inflate(stored, entry->size, max_size);
  }
  if (!content) return content;
  if (Crc32(*content) != entry->crc) return Error::Invalid("zip: checksum mismatch");
  return content;
}

ZipEntrySummary SummaryOf(std::string_view content) {
  return {Crc32(content), static_cast<uint32_t>(content.size())};
}

std::optional<ZipEntrySummary> FirstEntrySummary(std::string_view tail, size_t archive_size) {
  if (tail.size() > archive_size) return std::nullopt;
  auto entry = ReadFirstCentralEntry(tail, archive_size - tail.size());
  if (!entry || (entry->method != kMethodStore && entry->method != kMethodDeflate)) {
    return std::nullopt;
  }
  return ZipEntrySummary{entry->crc, entry->size};
}

}  // namespace mm
