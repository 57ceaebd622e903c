#pragma once

#include <rapidjson/document.h>

#include "core/json_builder.h"

namespace mm {

// The main container's probes (§3.1.4): the operator's defaults (httpGet /api/v4/system/ping on
// 8065; liveness 10/10/3, readiness 10/5/6) with the user's probe (may be nullptr) applied: a
// non-empty handler replaces the handler, each non-zero number replaces its default.
Json LivenessProbe(const rapidjson::Value* user);
Json ReadinessProbe(const rapidjson::Value* user);

}  // namespace mm
