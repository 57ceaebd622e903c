#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace mm::kubeapi {

// A string holding a credential (token, password, private key). Its memory is zeroed when it is
// destroyed or overwritten, and it has no stream operator, so it cannot be printed by accident.
// Copies are deliberate (each copy is zeroed on its own).
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string value) : value_(std::move(value)) {}
  SecretString(const SecretString& other) : value_(other.value_) {}
  SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) { other.Clear(); }
  SecretString& operator=(const SecretString& other) {
    if (this != &other) Assign(other.value_);
    return *this;
  }
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) {
      Clear();
      value_.swap(other.value_);
    }
    return *this;
  }
  ~SecretString() { Clear(); }

  // Replaces the value, zeroing the old one first.
  void Assign(std::string_view value) {
    Clear();
    value_.assign(value);
  }
  // Zeroes and empties the value.
  void Clear();

  bool empty() const { return value_.empty(); }
  // The secret itself; callers must not log it or keep copies in plain std::strings.
  const std::string& Reveal() const { return value_; }

  bool operator==(const SecretString& other) const { return value_ == other.value_; }

 private:
  std::string value_;
};

// Zeroes `text` in place (the compiler may not optimise it away) and empties it.
void ZeroString(std::string& text);

}  // namespace mm::kubeapi
