#pragma once

#include <string>
#include <string_view>

namespace mm::kubeapi {

// Returns the User-Agent every request carries: "kubectl-mattermost/<version> (<os>/<arch>)",
// e.g. "kubectl-mattermost/v0.1.0 (linux/amd64)". `version` is the plugin's git version.
std::string UserAgent(std::string_view version);

// Returns the libraries the transport runs on, with their versions, e.g.
// "OpenSSL/3.0.19 nghttp2/1.52.0 zlib/1.2.13"; for `-v` diagnostics.
std::string TransportDescription();

}  // namespace mm::kubeapi
