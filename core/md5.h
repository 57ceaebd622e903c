#pragma once

#include <string>
#include <string_view>

namespace mm {

// Returns the MD5 digest of `data` as 32 lowercase hex characters. Used only for names the
// operator derives from md5 (the MySQL cluster `db-<md5[0:6]>`), never for security.
std::string Md5Hex(std::string_view data);

}  // namespace mm
