// The mattermost.com/last-applied annotation: base64 of a ZIP holding "original" (operator.md §4).
// The expected annotation text was derived independently with Python (struct + zlib level 5).
#include "core/last_applied.h"

#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/json.h"

namespace mm {
namespace {

constexpr char kDocument[] = R"({"metadata":{"name":"foo"}})";
constexpr char kAnnotation[] =
    "UEsDBBQACAAIAAAAAAAAAAAAAAAAAAAAAAAIAAAAb3JpZ2luYWyrVspNLUlMSSxJVLKqVspLzE1VslJKy89Xqq0FAFBL"
    "BwhJNBogHQAAABsAAABQSwECFAAUAAgACAAAAAAASTQaIB0AAAAbAAAACAAAAAAAAAAAAAAAAAAAAAAAb3JpZ2luYWxQ"
    "SwUGAAAAAAEAAQA2AAAAUwAAAAAA";

TEST(LastAppliedTest, EncodesTheDocumentExactly) {
  EXPECT_EQ(EncodeLastApplied(kDocument), kAnnotation);
}

TEST(LastAppliedTest, DecodesAsObjectmatcherDoes) {
  EXPECT_EQ(*DecodeLastApplied(kAnnotation), kDocument);
  // Base64 of something that is not a ZIP archive: the decoded bytes (older annotations).
  EXPECT_EQ(*DecodeLastApplied(Base64Encode(kDocument)), kDocument);
  // Not base64 at all: the text itself.
  EXPECT_EQ(*DecodeLastApplied(kDocument), kDocument);
  // A ZIP signature with a corrupt archive behind it is an error.
  EXPECT_FALSE(DecodeLastApplied(Base64Encode("PK\x03\x04 broken")).ok());
}

TEST(LastAppliedTest, ReadsTheAnnotationOfAnObject) {
  auto object =
      ParseJson(std::string(R"({"metadata":{"annotations":{"mattermost.com/last-applied":")") +
                kAnnotation + R"("}}})");
  auto recorded = ReadLastApplied(*object);
  ASSERT_TRUE(recorded.ok());
  ASSERT_TRUE(recorded->has_value());
  EXPECT_EQ(ToJson(**recorded), kDocument);
  EXPECT_FALSE(ReadLastApplied(*ParseJson(R"({"metadata":{"name":"x"}})"))->has_value());
  auto broken = ParseJson(R"({"metadata":{"annotations":{"mattermost.com/last-applied":"[1]"}}})");
  auto error = ReadLastApplied(*broken);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().message(), "mattermost.com/last-applied: not a JSON object");
}

rapidjson::Document Annotated(const std::string& value) {
  return *ParseJson(R"({"metadata":{"annotations":{"mattermost.com/last-applied":")" + value +
                    R"("}}})");
}

// The CRC-32 (Python's zlib.crc32) and size of the recorded document, from the annotation's end.
TEST(LastAppliedTest, PeeksAtTheRecordedDocumentsChecksum) {
  EXPECT_EQ(PeekLastApplied(Annotated(kAnnotation)), (ZipEntrySummary{0x201a3449, 27}));
  EXPECT_EQ(PeekLastApplied(Annotated(kAnnotation)), SummaryOf(kDocument));
  std::string large(3000, ' ');
  large = R"({"v":")" + large + R"("})";
  EXPECT_EQ(PeekLastApplied(Annotated(EncodeLastApplied(large))), SummaryOf(large));
  // Nothing to peek at: no annotation, base64 of a plain document, blanks that shift the text
  // (ReadLastApplied still reads that one).
  EXPECT_EQ(PeekLastApplied(*ParseJson(R"({"metadata":{"name":"x"}})")), std::nullopt);
  EXPECT_EQ(PeekLastApplied(Annotated(Base64Encode(large))), std::nullopt);
  std::string blanks = kAnnotation;
  blanks.insert(40, "    ");
  EXPECT_EQ(PeekLastApplied(Annotated(blanks)), std::nullopt);
  auto read = ReadLastApplied(Annotated(blanks));
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ(ToJson(**read), kDocument);
}

}  // namespace
}  // namespace mm
