#include "kubeapi/user_agent.h"

#include <nghttp2/nghttp2.h>
#include <openssl/crypto.h>
#include <zlib.h>

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
  std::string openssl = OpenSSL_version(OPENSSL_VERSION);  // "OpenSSL 3.0.19 27 Jan 2026"
  std::string version = openssl.substr(0, openssl.find(' ', openssl.find(' ') + 1));
  if (size_t space = version.find(' '); space != std::string::npos) version[space] = '/';
  return version + " nghttp2/" + nghttp2_version(0)->version_str + " zlib/" + zlibVersion();
}

}  // namespace mm::kubeapi
