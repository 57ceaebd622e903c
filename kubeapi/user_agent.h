#pragma once

#include <string>
#include <string_view>

namespace mm::kubeapi {

// Returns the User-Agent every request carries: "kubectl-mattermost/<version> (<os>/<arch>)",
// e.g. "kubectl-mattermost/v0.1.0 (linux/amd64)". `version` is the plugin's git version.
std::string UserAgent(std::string_view version);

// Returns libcurl's version and the TLS library it was built with, e.g.
// "libcurl/7.88.1 OpenSSL/3.0.19 (http2)"; for `-v` diagnostics.
std::string TransportDescription();

}  // namespace mm::kubeapi
