#pragma once

#include <string>

#include "core/result.h"
#include "kubeapi/kubeconfig.h"
#include "kubeapi/rest_config.h"

namespace mm::kubeapi {

// Validates the kubeconfig user `user` (named `user_name`) and returns its credentials with
// certificate, key and token files read. `cluster_info` is what an exec plugin will be told.
// Fails with kConfig and client-go's texts: unreadable files, a certificate without its key (or
// the reverse), token together with basic auth, an exec plugin without interactiveMode (v1), exec
// together with auth-provider, an unknown auth-provider.
Result<Credentials> BuildCredentials(const AuthInfoEntry& user, const std::string& user_name,
                                     const ExecClusterInfo& cluster_info);

}  // namespace mm::kubeapi
