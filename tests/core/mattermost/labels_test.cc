// LabelSet: labels kept as Go serializes a map[string]string (and as a StringMap orders them), a
// later Set replacing an earlier value.
#include "core/mattermost/labels.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace mm {
namespace {

std::string LabelsJson(const LabelSet& labels) { return ToJson(labels.ToJson().BuildDocument()); }

TEST(LabelSetTest, KeepsKeysUniqueAndSortedBytewise) {
  LabelSet labels;
  labels.Set("b", "1");
  labels.Set("\xc3\xa9", "2");  // after ASCII: bytes compare unsigned
  labels.Set("B", "3");
  labels.Set("a", "4");
  labels.Set("b", "5");  // replaces, in place
  labels.Set("ab", "6");
  EXPECT_EQ(LabelsJson(labels),
            "{\"B\":\"3\",\"a\":\"4\",\"ab\":\"6\",\"b\":\"5\",\"\xc3\xa9\":\"2\"}");
}

// Ours are set after the user's: the user's labels never override them, whatever their order.
TEST(LabelSetTest, SelectorLabelsOverrideResourceLabels) {
  Mattermost mattermost;
  mattermost.name = "chat";
  mattermost.spec.resource_labels =
      StringMap{{"app", "theirs"}, {"team", "a"}, {kResourceLabel, "theirs"}};
  EXPECT_EQ(LabelsJson(ObjectLabels(mattermost)),
            "{\"app\":\"mattermost\",\"installation.mattermost.com/installation\":\"chat\","
            "\"installation.mattermost.com/resource\":\"chat\",\"team\":\"a\"}");
  EXPECT_EQ(LabelsJson(JobServerPodLabels(mattermost)),
            "{\"app\":\"mattermost-jobserver\",\"installation.mattermost.com/installation\":"
            "\"chat\",\"installation.mattermost.com/resource\":\"chat\",\"team\":\"a\"}");
}

}  // namespace
}  // namespace mm
