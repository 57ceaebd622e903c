#pragma once

#include <ctime>
#include <mutex>
#include <string>

#include "core/result.h"
#include "kubeapi/secret.h"

namespace mm::kubeapi {

// A bearer token read from a file (kubeconfig tokenFile, the service-account token) and re-read
// whenever the file changes, because such tokens rotate. Thread-safe.
class TokenFileSource {
 public:
  explicit TokenFileSource(std::string path) : path_(std::move(path)) {}

  // Returns the current token (surrounding whitespace trimmed). When the file cannot be read but
  // a token was read before, returns that one, as client-go does. Fails with kTransport naming
  // the file when there is no token at all.
  Result<SecretString> Token();

 private:
  std::string path_;
  std::mutex mutex_;
  SecretString token_;
  struct timespec modified_ {};
  off_t size_ = -1;
};

}  // namespace mm::kubeapi
