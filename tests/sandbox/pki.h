#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace sandbox {

struct CertKey {
  std::string cert_pem;
  std::string key_pem;
};

// Generates, in memory with OpenSSL (ECDSA P-256, SHA-256): a CA (reusing `ca` when its PEMs are
// non-empty), a server certificate for 127.0.0.1 and localhost, and a client certificate with
// subject CN=`client_cn`, O=`client_orgs`. Fails with kInternal naming the OpenSSL step.
struct Pki {
  CertKey ca;
  CertKey server;
  CertKey client;
};
mm::Result<Pki> GeneratePki(const CertKey& ca, const std::string& client_cn,
                            const std::vector<std::string>& client_orgs);

// 32 random hex characters from OpenSSL's CSPRNG (bearer tokens).
std::string RandomToken();

}  // namespace sandbox
