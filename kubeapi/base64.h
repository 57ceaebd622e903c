#pragma once

// Base64 lives in core/ (Secret data and the operator's last-applied annotation need it too);
// kubeapi keeps its spelling.
#include "core/base64.h"

namespace mm::kubeapi {

using mm::Base64Decode;
using mm::Base64Encode;

}  // namespace mm::kubeapi
