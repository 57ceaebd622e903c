#include "plugin/exit_code.h"

#include <gtest/gtest.h>

namespace mm {
namespace {

TEST(ExitCodeTest, MapsKindsToCodes) {
  EXPECT_EQ(ExitCodeFor(Error::Timeout("waited 10m")), 124);
  EXPECT_EQ(ExitCodeFor(Error::Interrupted("interrupted")), 130);
  EXPECT_EQ(ExitCodeFor(Error::Usage("bad flag")), 1);
  EXPECT_EQ(ExitCodeFor(Error::Transport("refused")), 1);
  EXPECT_EQ(ExitCodeFor(Error::Api({.code = 404, .reason = "NotFound"})), 1);
}

TEST(ExitCodeTest, FormatsLikeKubectl) {
  EXPECT_EQ(FormatError(Error::Invalid("spec.size: unknown size"), "kubectl mattermost install"),
            "error: spec.size: unknown size");
  EXPECT_EQ(FormatError(Error::Usage("NAME is required"), "kubectl mattermost install"),
            "error: NAME is required\n"
            "See 'kubectl mattermost install -h' for help and examples");
  EXPECT_EQ(
      FormatError(Error::Api({.code = 404,
                              .reason = "NotFound",
                              .message = "mattermosts.installation.mattermost.com \"x\" not "
                                         "found"}),
                  "kubectl mattermost status"),
      "Error from server (NotFound): mattermosts.installation.mattermost.com \"x\" not found");
}

TEST(ExitCodeTest, FormatsConnectionAndConfigurationErrorsLikeKubectl) {
  const std::string path = "kubectl mattermost version";
  EXPECT_EQ(
      FormatError(Error::Api({.code = 401, .reason = "Unauthorized", .message = "Unauthorized"}),
                  path),
      "error: You must be logged in to the server (Unauthorized)");
  EXPECT_EQ(FormatError(Error::Api({.code = 500, .message = "boom"}), path),
            "Error from server: boom");
  EXPECT_EQ(
      FormatError(Error::Transport("The connection to the server localhost:8080 was refused - "
                                   "did you specify the right host or port?"),
                  path),
      "The connection to the server localhost:8080 was refused - did you specify the right "
      "host or port?");
  EXPECT_EQ(FormatError(Error::Config("invalid configuration: context was not found for specified "
                                      "context: nope"),
                        path),
            "Error in configuration: context was not found for specified context: nope");
  EXPECT_EQ(FormatError(Error::Config("stat nope.yaml: no such file or directory"), path),
            "error: stat nope.yaml: no such file or directory");
}

}  // namespace
}  // namespace mm
