// The ZIP container of the last-applied annotation. Expected archives were made independently
// with Python (struct + zlib for Go's layout; the zipfile module for foreign archives).
#include "core/zip_entry.h"

#include <gtest/gtest.h>

#include "core/base64.h"

namespace mm {
namespace {

std::string Bytes(std::string_view base64) { return *Base64Decode(base64); }

// Go's archive/zip layout for Create("original") of `{}` (flag 0x8, version 20, zero time,
// data descriptor, one central directory entry), deflated by zlib at level 5.
TEST(ZipEntryTest, WritesGosLayout) {
  EXPECT_EQ(
      ZipSingleEntry("original", "{}"),
      Bytes("UEsDBBQACAAIAAAAAAAAAAAAAAAAAAAAAAAIAAAAb3JpZ2luYWyrrgUAUEsHCEO/pqMEAAAAAgAAAFBL"
            "AQIUABQACAAIAAAAAABDv6ajBAAAAAIAAAAIAAAAAAAAAAAAAAAAAAAAAABvcmlnaW5hbFBLBQYAAAAAA"
            "QABADYAAAA6AAAAAAA="));
}

TEST(ZipEntryTest, RoundTripsLargeContent) {
  std::string content;
  for (int i = 0; i < 5000; ++i) content += "{\"name\":\"env-" + std::to_string(i) + "\"},";
  std::string archive = ZipSingleEntry("original", content);
  EXPECT_LT(archive.size(), content.size() / 4);  // it really compresses
  EXPECT_EQ(*UnzipFirstEntry(archive), content);
}

TEST(ZipEntryTest, ReadsForeignArchives) {
  const std::string kContent = R"({"metadata":{"labels":{"team":"a"},"name":"foo"}})";
  // Python zipfile, two files, timestamps and an extended-timestamp extra field; deflated.
  EXPECT_EQ(
      *UnzipFirstEntry(Bytes(
          "UEsDBBQAAAAIAMBjsVgRMWaYLwAAADEAAAAIAAkAb3JpZ2luYWxVVAUAAchNR2arVspNLUlMSSxJVLKqVsp"
          "JTErNKQaxSlITc5WslBKVanWU8hJzU4HstPx8pdpaAFBLAwQUAAAACAD7SHVdTkHU1gkAAAAHAAAABgAAAH"
          "NlY29uZMtMz8svSk0BAFBLAQIUAxQAAAAIAMBjsVgRMWaYLwAAADEAAAAIAAkAAAAAAAAAAACAAQAAAABvc"
          "mlnaW5hbFVUBQAByE1HZlBLAQIUAxQAAAAIAPtIdV1OQdTWCQAAAAcAAAAGAAAAAAAAAAAAAACAAV4AAABz"
          "ZWNvbmRQSwUGAAAAAAIAAgBzAAAAiwAAAAAA")),
      kContent);
  // The same, stored (method 0).
  EXPECT_EQ(
      *UnzipFirstEntry(Bytes(
          "UEsDBBQAAAAAAMBjsVgRMWaYMQAAADEAAAAIAAkAb3JpZ2luYWxVVAUAAchNR2Z7Im1ldGFkYXRhIjp7Imx"
          "hYmVscyI6eyJ0ZWFtIjoiYSJ9LCJuYW1lIjoiZm9vIn19UEsDBBQAAAAAAPtIdV1OQdTWBwAAAAcAAAAGAA"
          "AAc2Vjb25kaWdub3JlZFBLAQIUAxQAAAAAAMBjsVgRMWaYMQAAADEAAAAIAAkAAAAAAAAAAACAAQAAAABvc"
          "mlnaW5hbFVUBQAByE1HZlBLAQIUAxQAAAAAAPtIdV1OQdTWBwAAAAcAAAAGAAAAAAAAAAAAAACAAWAAAABz"
          "ZWNvbmRQSwUGAAAAAAIAAgBzAAAAiwAAAAAA")),
      kContent);
  // Go's deflate ends with an empty final stored block after the data block.
  EXPECT_EQ(
      *UnzipFirstEntry(Bytes(
          "UEsDBBQACAAIAAAAAAAAAAAAAAAAAAAAAAAIAAAAb3JpZ2luYWyqVspNLUlMSSxJVLKqVspJTErNKQaxSlI"
          "Tc5WslBKVanWU8hJzU4HstPx8pdpaAAAAAP//AQAA//9QSwcIETFmmDkAAAAxAAAAUEsBAhQAFAAIAAgAAA"
          "AAABExZpg5AAAAMQAAAAgAAAAAAAAAAAAAAAAAAAAAAG9yaWdpbmFsUEsFBgAAAAABAAEANgAAAG8AAAAAA"
          "A==")),
      kContent);
}

TEST(ZipEntryTest, RefusesDamagedArchives) {
  std::string good = ZipSingleEntry("original", "{\"a\":1}");
  EXPECT_FALSE(UnzipFirstEntry("").ok());
  EXPECT_FALSE(UnzipFirstEntry("not a zip archive at all, just text").ok());
  EXPECT_FALSE(UnzipFirstEntry(good.substr(0, good.size() - 10)).ok());  // truncated
  std::string flipped = good;
  flipped[40] = static_cast<char>(flipped[40] ^ 0x55);  // inside the deflate stream
  EXPECT_FALSE(UnzipFirstEntry(flipped).ok());
  // The CRC-32 recorded in the central directory is checked against the content.
  std::string bad_crc = good;
  size_t central = good.find("PK\x01\x02");
  bad_crc[central + 16] = static_cast<char>(bad_crc[central + 16] ^ 1);
  auto result = UnzipFirstEntry(bad_crc);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message(), "zip: checksum mismatch");
  EXPECT_FALSE(UnzipFirstEntry(good, 3).ok());  // larger than allowed
}

// The central directory's CRC-32 and size, read from the archive's last bytes alone (CRC-32 values
// from Python's zlib.crc32).
TEST(ZipEntryTest, SummarizesTheFirstEntryFromTheTail) {
  const std::string kContent = "{\"a\":1}";
  EXPECT_EQ(SummaryOf(kContent), (ZipEntrySummary{0x561bacaf, 7}));
  std::string archive = ZipSingleEntry("original", kContent);
  EXPECT_EQ(FirstEntrySummary(archive, archive.size()), SummaryOf(kContent));
  // End record (22 bytes) + central header (46) + name (8): the last 76 bytes suffice.
  EXPECT_EQ(FirstEntrySummary(archive.substr(archive.size() - 76), archive.size()),
            SummaryOf(kContent));
  EXPECT_EQ(FirstEntrySummary(archive.substr(archive.size() - 75), archive.size()), std::nullopt);
  // A tail placed at the wrong offset does not find its central directory.
  EXPECT_EQ(FirstEntrySummary(archive.substr(archive.size() - 76), archive.size() + 3),
            std::nullopt);
  EXPECT_EQ(FirstEntrySummary("not a zip archive at all, just text", 35), std::nullopt);
  // Python's zipfile archive with two stored files: the first one's entry.
  std::string foreign = Bytes(
      "UEsDBBQAAAAAAMBjsVgRMWaYMQAAADEAAAAIAAkAb3JpZ2luYWxVVAUAAchNR2Z7Im1ldGFkYXRhIjp7Imx"
      "hYmVscyI6eyJ0ZWFtIjoiYSJ9LCJuYW1lIjoiZm9vIn19UEsDBBQAAAAAAPtIdV1OQdTWBwAAAAcAAAAGAA"
      "AAc2Vjb25kaWdub3JlZFBLAQIUAxQAAAAAAMBjsVgRMWaYMQAAADEAAAAIAAkAAAAAAAAAAACAAQAAAABvc"
      "mlnaW5hbFVUBQAByE1HZlBLAQIUAxQAAAAAAPtIdV1OQdTWBwAAAAcAAAAGAAAAAAAAAAAAAACAAWAAAABz"
      "ZWNvbmRQSwUGAAAAAAIAAgBzAAAAiwAAAAAA");
  EXPECT_EQ(FirstEntrySummary(foreign, foreign.size()), (ZipEntrySummary{0x98663111, 49}));
}

}  // namespace
}  // namespace mm
