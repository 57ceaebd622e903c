#include "kubeapi/curl_handle.h"

namespace mm::kubeapi {

Result<void> EnsureCurlGlobalInit() {
  static const CURLcode kInit = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (kInit != CURLE_OK) {
    return Error::Internal(std::string("curl_global_init: ") + curl_easy_strerror(kInit));
  }
  return {};
}

Result<std::unique_ptr<CurlEasy>> CurlEasy::Create() {
  MM_RETURN_IF_ERROR(EnsureCurlGlobalInit());
  CURL* handle = curl_easy_init();
  if (handle == nullptr) return Error::Internal("curl_easy_init failed");
  return std::unique_ptr<CurlEasy>(new CurlEasy(handle));
}

CurlEasy::~CurlEasy() { curl_easy_cleanup(handle_); }

Result<void> CurlHeaderList::Append(const std::string& line) {
  curl_slist* appended = curl_slist_append(list_, line.c_str());
  if (appended == nullptr) return Error::Internal("curl_slist_append: out of memory");
  list_ = appended;
  return {};
}

}  // namespace mm::kubeapi
