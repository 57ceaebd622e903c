#include "plugin/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mm {
namespace {

TEST(ProgressTest, PrintsAPlainLinePerChangeWhenNotATerminal) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  IOStreams streams{in, out, err};
  {
    Progress progress(streams);
    progress.Update("Waiting for deployment \"x\": 0/2 pods available");
    progress.Update("Waiting for deployment \"x\": 0/2 pods available");
    progress.Update("Waiting for deployment \"x\": 1/2 pods available");
  }
  EXPECT_EQ(err.str(),
            "Waiting for deployment \"x\": 0/2 pods available\n"
            "Waiting for deployment \"x\": 1/2 pods available\n");
  EXPECT_EQ(out.str(), "");
}

TEST(ProgressTest, RewritesOneLineOnATerminal) {
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  IOStreams streams{in, out, err, false, true};
  {
    Progress progress(streams);
    progress.Update("0/2");
    progress.Update("1/2");
    progress.Finish();
    err << "done\n";
    progress.Update("again");
  }
  EXPECT_EQ(err.str(), "\r\x1b[K0/2\r\x1b[K1/2\ndone\n\r\x1b[Kagain\n");
}

}  // namespace
}  // namespace mm
