#include "core/random_id.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

// Every call yields the bytes 0, 1, ..., 15 (expected values computed with Python's base64
// module and the operator's alphabet).
void Counting(uint8_t* out, size_t size) {
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(i);
}

TEST(RandomIdTest, OperatorIdsFromAUuidV4) {
  EXPECT_EQ(NewOperatorId(Counting, 16), "yyyoryaryidyxnyj");
  EXPECT_EQ(NewOperatorId(Counting, 28), "yyyoryaryidyxnyjbefoadeqbh==");
}

}  // namespace
}  // namespace mm
