// port-forward --open: the system's opener gets the URL, or the user is told there is none.
#include "plugin/port_forward/browser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "tests/kubeapi/temp_dir.h"

namespace mm {
namespace {

// Sets PATH for the test's duration.
class ScopedPath {
 public:
  explicit ScopedPath(const std::string& path)
      : old_(std::getenv("PATH") ? std::getenv("PATH") : "") {
    ::setenv("PATH", path.c_str(), 1);
  }
  ~ScopedPath() { ::setenv("PATH", old_.c_str(), 1); }
  ScopedPath(const ScopedPath&) = delete;
  ScopedPath& operator=(const ScopedPath&) = delete;

 private:
  std::string old_;
};

TEST(BrowserTest, RunsTheOpenerOnTheUrl) {
  kubeapi::testing::TempDir dir;
  std::string record = dir.Path("opened");
  dir.Write(std::string("bin/") + BrowserOpener(),
            "#!/bin/sh\necho \"$@\" >" + record + ".tmp && mv " + record + ".tmp " + record + "\n",
            true);
  ScopedPath path(dir.Path("bin") + ":/usr/bin:/bin");
  EXPECT_EQ(OpenInBrowser("http://127.0.0.1:8065"), "");
  std::string opened;
  for (int i = 0; i < 600 && opened.empty(); ++i) {  // generous: the machine may be loaded
    std::getline(std::ifstream(record), opened);
    if (opened.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(opened, "http://127.0.0.1:8065");
}

TEST(BrowserTest, SaysWhenThereIsNoOpener) {
  kubeapi::testing::TempDir dir;
  ScopedPath path(dir.path());
  EXPECT_EQ(OpenInBrowser("http://127.0.0.1:8065"),
            std::string(BrowserOpener()) + " not found in PATH");
}

}  // namespace
}  // namespace mm
