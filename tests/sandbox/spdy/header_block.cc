#include "tests/sandbox/spdy/header_block.h"

#include <zlib.h>

#include "tests/sandbox/spdy/dictionary.h"
#include "tests/sandbox/spdy/frame.h"

namespace sandbox::spdy {
namespace {

Bytef* Bytes(std::string_view view) {
  // zlib's next_in is not const-qualified but is only read.
  return reinterpret_cast<Bytef*>(const_cast<char*>(view.data()));
}

const Bytef* DictionaryBytes() { return reinterpret_cast<const Bytef*>(HeaderDictionary().data()); }

uInt DictionarySize() { return static_cast<uInt>(HeaderDictionary().size()); }

mm::Error Malformed(const std::string& what) {
  return mm::Error::Invalid("spdy: malformed header block: " + what);
}

}  // namespace

const std::string* FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string SerializeHeaderList(const HeaderList& headers) {
  std::string out;
  AppendUint32(out, static_cast<uint32_t>(headers.size()));
  for (const auto& [name, value] : headers) {
    AppendUint32(out, static_cast<uint32_t>(name.size()));
    out.append(name);
    AppendUint32(out, static_cast<uint32_t>(value.size()));
    out.append(value);
  }
  return out;
}

mm::Result<HeaderList> ParseHeaderList(std::string_view bytes) {
  size_t at = 0;
  auto read_string = [&](std::string& out) -> bool {
    if (bytes.size() - at < 4) return false;
    uint32_t length = ReadUint32(bytes, at);
    at += 4;
    if (bytes.size() - at < length) return false;
    out.assign(bytes.substr(at, length));
    at += length;
    return true;
  };
  if (bytes.size() < 4) return Malformed("no pair count");
  uint32_t count = ReadUint32(bytes, 0);
  at = 4;
  // Each pair needs at least 8 bytes: a count beyond that is a lie, not a reason to allocate.
  if (count > (bytes.size() - at) / 8) return Malformed("pair count exceeds the block");
  HeaderList headers;
  headers.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    std::string name, value;
    if (!read_string(name) || !read_string(value)) return Malformed("length past the end");
    if (name.empty()) return Malformed("empty header name");
    headers.emplace_back(std::move(name), std::move(value));
  }
  if (at != bytes.size()) return Malformed("bytes after the last pair");
  return headers;
}

struct HeaderCompressor::ZStream {
  z_stream z{};
  bool ok = false;
  ~ZStream() {
    if (ok) deflateEnd(&z);
  }
};

HeaderCompressor::HeaderCompressor() : z_(std::make_unique<ZStream>()) {
  z_->ok = deflateInit(&z_->z, Z_DEFAULT_COMPRESSION) == Z_OK &&
           deflateSetDictionary(&z_->z, DictionaryBytes(), DictionarySize()) == Z_OK;
}

HeaderCompressor::~HeaderCompressor() = default;

mm::Result<std::string> HeaderCompressor::Compress(const HeaderList& headers) {
  if (!z_->ok) return mm::Error::Internal("spdy: zlib deflate could not be initialised");
  std::string input = SerializeHeaderList(headers);
  z_stream& z = z_->z;
  z.next_in = Bytes(input);
  z.avail_in = static_cast<uInt>(input.size());
  std::string out;
  char chunk[4096];
  do {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    int rc = deflate(&z, Z_SYNC_FLUSH);
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return mm::Error::Internal("spdy: zlib deflate failed (" + std::to_string(rc) + ")");
    }
    out.append(chunk, sizeof chunk - z.avail_out);
  } while (z.avail_out == 0);
  return out;
}

struct HeaderDecompressor::ZStream {
  z_stream z{};
  bool ok = false;
  ~ZStream() {
    if (ok) inflateEnd(&z);
  }
};

HeaderDecompressor::HeaderDecompressor(size_t max_block)
    : z_(std::make_unique<ZStream>()), max_block_(max_block) {
  z_->ok = inflateInit(&z_->z) == Z_OK;
}

HeaderDecompressor::~HeaderDecompressor() = default;

mm::Result<HeaderList> HeaderDecompressor::Decompress(std::string_view block) {
  if (!z_->ok) return mm::Error::Internal("spdy: zlib inflate could not be initialised");
  z_stream& z = z_->z;
  z.next_in = Bytes(block);
  z.avail_in = static_cast<uInt>(block.size());
  std::string out;
  char chunk[4096];
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    int rc = inflate(&z, Z_SYNC_FLUSH);
    if (rc == Z_NEED_DICT) {
      if (inflateSetDictionary(&z, DictionaryBytes(), DictionarySize()) != Z_OK) {
        return Malformed("the zlib stream wants a dictionary other than SPDY/3's");
      }
      rc = inflate(&z, Z_SYNC_FLUSH);
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Malformed("zlib inflate failed (" + std::to_string(rc) + ")");
    }
    out.append(chunk, sizeof chunk - z.avail_out);
    if (out.size() > max_block_)
      return Malformed("more than " + std::to_string(max_block_) + " bytes");
    // Done when zlib consumed the block and had room to spare (no output left inside it).
    if (z.avail_in == 0 && z.avail_out != 0) break;
    if (rc == Z_BUF_ERROR && z.avail_out != 0) return Malformed("truncated zlib data");
  }
  return ParseHeaderList(out);
}

}  // namespace sandbox::spdy
