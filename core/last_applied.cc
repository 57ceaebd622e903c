#include "core/last_applied.h"

#include "core/base64.h"
#include "core/json.h"
#include "core/zip_entry.h"

namespace mm {
namespace {

// ParseJson, on rapidjson's faster NUL-terminated stream when the text has no NUL byte (every
// reconcile parses one record per live object).
Result<rapidjson::Document> ParseRecord(const std::string& text,
                                        rapidjson::Document::AllocatorType* allocator) {
  if (text.find('\0') != std::string::npos ||
      FindExcessiveNesting(text, kMaxJsonDepth, true) != std::string_view::npos) {
    return ParseJson(text, kLastAppliedAnnotation);  // refused with the precise message
  }
  rapidjson::Document document(allocator);
  document.Parse<rapidjson::kParseIterativeFlag>(text.c_str());
  if (document.HasParseError()) return ParseJson(text, kLastAppliedAnnotation);
  return document;
}

// The annotation's value, or null.
const rapidjson::Value* Annotation(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  const rapidjson::Value* annotations = metadata ? FindMember(*metadata, "annotations") : nullptr;
  const rapidjson::Value* value =
      annotations ? FindMember(*annotations, kLastAppliedAnnotation) : nullptr;
  return value != nullptr && value->IsString() ? value : nullptr;
}

}  // namespace

std::string EncodeLastApplied(std::string_view document) {
  return Base64Encode(ZipSingleEntry("original", document));
}

Result<std::string> DecodeLastApplied(std::string_view value) {
  std::optional<std::string> decoded = Base64Decode(value);
  if (!decoded) return std::string(value);
  // Go's http.DetectContentType says application/zip for exactly this signature.
  if (decoded->rfind(std::string_view("PK\x03\x04", 4), 0) != 0) return std::move(*decoded);
  return UnzipFirstEntry(*decoded);
}

Result<std::optional<rapidjson::Document>> ReadLastApplied(
    const rapidjson::Value& object, rapidjson::Document::AllocatorType* allocator) {
  const rapidjson::Value* value = Annotation(object);
  if (value == nullptr) return std::optional<rapidjson::Document>();
  auto document = DecodeLastApplied({value->GetString(), value->GetStringLength()});
  if (!document) return document.error().Wrap(kLastAppliedAnnotation);
  auto parsed = ParseRecord(*document, allocator);
  if (!parsed) return std::move(parsed).error();
  if (!parsed->IsObject()) {
    return Error::Invalid(std::string(kLastAppliedAnnotation) + ": not a JSON object");
  }
  return std::optional<rapidjson::Document>(std::move(*parsed));
}

std::optional<ZipEntrySummary> PeekLastApplied(const rapidjson::Value& object) {
  // The end record (22 bytes) and the first central header (46 bytes and the name "original")
  // fit in the last 120 bytes of every archive EncodeLastApplied or Go's archive/zip writes.
  constexpr size_t kTailCharacters = 160;
  const rapidjson::Value* value = Annotation(object);
  if (value == nullptr) return std::nullopt;
  std::string_view text(value->GetString(), value->GetStringLength());
  // "UEsDB": base64 of the local header signature PK\x03\x04. Only unbroken base64 maps its last
  // characters to the archive's last bytes.
  if (text.size() % 4 != 0 || text.size() < kTailCharacters || text.rfind("UEsDB", 0) != 0) {
    return std::nullopt;
  }
  std::string_view tail = text.substr(text.size() - kTailCharacters);
  char bytes[kTailCharacters / 4 * 3];
  std::optional<size_t> size = Base64DecodeUnbroken(tail, bytes);
  if (!size) return std::nullopt;  // blanks, or padding before the end
  size_t padding = kTailCharacters / 4 * 3 - *size;
  return FirstEntrySummary({bytes, *size}, text.size() / 4 * 3 - padding);
}

}  // namespace mm
