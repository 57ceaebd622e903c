#include "plugin/port_forward/browser.h"

#include <cerrno>
#include <cstring>

#include "kubeapi/process.h"

namespace mm {

const char* BrowserOpener() {
#ifdef __APPLE__
  return "open";
#else
  return "xdg-open";
#endif
}

std::string OpenInBrowser(const std::string& url) {
  std::string opener = BrowserOpener();
  int failed = kubeapi::StartDetachedProcess({opener, url});
  if (failed == ENOENT) return opener + " not found in PATH";
  if (failed != 0) return opener + ": " + std::strerror(failed);
  return "";
}

}  // namespace mm
