#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/zip_entry.h"

namespace mm {

// The annotation in which the operator (through banzaicloud k8s-objectmatcher) records the object
// it last wrote, for its next three-way comparison (operator.md §4).
inline constexpr char kLastAppliedAnnotation[] = "mattermost.com/last-applied";

// Returns the annotation value recording `document`: standard base64 of a ZIP archive whose one
// file, "original", holds the document (ZipSingleEntry).
std::string EncodeLastApplied(std::string_view document);

// Returns the document an annotation value records, read as objectmatcher reads it: base64 of a
// ZIP archive (the first file's content), base64 of anything else (the decoded bytes), or, when
// the value is not base64, the value itself. Fails (kInvalid) on a corrupt ZIP archive.
Result<std::string> DecodeLastApplied(std::string_view value);

// Returns the parsed last-applied document of `object` (its metadata.annotations entry), or
// std::nullopt when it has none. Fails (kInvalid) when the annotation cannot be decoded or is not
// a JSON object. The document allocates from `allocator` when one is given (it must outlive the
// document), else from its own.
Result<std::optional<rapidjson::Document>> ReadLastApplied(
    const rapidjson::Value& object, rapidjson::Document::AllocatorType* allocator = nullptr);

// Returns the CRC-32 and size of the document an object's annotation records as a ZIP archive,
// read from the archive's central directory: only the annotation's last 160 base64 characters are
// decoded, nothing is inflated. Equal to SummaryOf(document) for the `document` EncodeLastApplied
// recorded. std::nullopt when `object` has no annotation or it cannot be read so (not base64 of a
// ZIP, whitespace in it, an archive comment, ...): ReadLastApplied then reads the document
// itself. A corrupt deflate stream is not noticed here, a CRC-32 collision never is.
std::optional<ZipEntrySummary> PeekLastApplied(const rapidjson::Value& object);

}  // namespace mm
