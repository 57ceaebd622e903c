#include "kubeapi/user_agent.h"

#include <curl/curl.h>

#include "core/platform.h"

namespace mm::kubeapi {

std::string UserAgent(std::string_view version) {
  std::string agent = "kubectl-mattermost/";
  agent += version;
  agent += " (";
  agent += kPlatformOs;
  agent += '/';
  agent += kPlatformArch;
  agent += ')';
  return agent;
}

std::string TransportDescription() {
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  std::string description = "libcurl/";
  description += info->version;
  if (info->ssl_version != nullptr) {
    description += ' ';
    description += info->ssl_version;
  }
  if ((info->features & CURL_VERSION_HTTP2) != 0) description += " (http2)";
  return description;
}

}  // namespace mm::kubeapi
