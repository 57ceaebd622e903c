#include "kubeapi/secret.h"

#include <openssl/crypto.h>

namespace mm::kubeapi {

void ZeroString(std::string& text) {
  // Zero the whole capacity: short strings live in the object, long ones on the heap.
  text.resize(text.capacity());
  OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

void SecretString::Clear() { ZeroString(value_); }

}  // namespace mm::kubeapi
