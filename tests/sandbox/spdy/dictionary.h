#pragma once

#include <string_view>

namespace sandbox::spdy {

// The SPDY/3 header compression dictionary (draft-mbelshe-httpbis-spdy-00 §2.6.10.1): 1423 bytes
// that both ends load into zlib before the first header block. Built once; the view stays valid
// for the life of the process.
std::string_view HeaderDictionary();

}  // namespace sandbox::spdy
