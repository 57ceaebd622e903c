#pragma once

#include <string>

namespace mm {

// The program that opens a URL in the user's browser: `open` on macOS, else `xdg-open`.
const char* BrowserOpener();

// Starts BrowserOpener() on `url` (kubeapi::StartDetachedProcess: found in PATH, no shell) and
// returns at once, without waiting for it: an opener may wait until the browser closes. Returns ""
// when started, else why not (e.g. "xdg-open not found in PATH"). The URL is the only argument:
// it holds no secret.
std::string OpenInBrowser(const std::string& url);

}  // namespace mm
