#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "core/result.h"

namespace mm::kubeapi {

// Owns one CURL easy handle. The handle keeps its connection open between requests, so reusing a
// CurlEasy reuses the connection (and its TLS session). Not thread-safe: one transfer at a time.
class CurlEasy {
 public:
  // Returns a new handle; fails with kInternal when libcurl cannot allocate one.
  static Result<std::unique_ptr<CurlEasy>> Create();
  ~CurlEasy();
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  CURL* get() const { return handle_; }

  // Sets one option, turning a failure into a kInternal error naming the option.
  template <typename T>
  Result<void> Set(CURLoption option, T value, const char* name) {
    CURLcode code = curl_easy_setopt(handle_, option, value);
    if (code != CURLE_OK) {
      return Error::Internal(std::string("curl_easy_setopt(") + name +
                             "): " + curl_easy_strerror(code));
    }
    return {};
  }

 private:
  explicit CurlEasy(CURL* handle) : handle_(handle) {}
  CURL* handle_;
};

// Owns a curl_slist (request headers).
class CurlHeaderList {
 public:
  CurlHeaderList() = default;
  ~CurlHeaderList() { curl_slist_free_all(list_); }
  CurlHeaderList(const CurlHeaderList&) = delete;
  CurlHeaderList& operator=(const CurlHeaderList&) = delete;

  // Appends "Name: value"; fails with kInternal when out of memory.
  Result<void> Append(const std::string& line);
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

// Calls curl_global_init once per process (thread-safe); returns its error, if any.
Result<void> EnsureCurlGlobalInit();

// Sets `option` on `easy`, returning the error from the enclosing function on failure.
#define MM_CURL_SET(easy, option, value) MM_RETURN_IF_ERROR((easy).Set(option, value, #option))

}  // namespace mm::kubeapi
