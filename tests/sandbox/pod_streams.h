#pragma once

#include "core/result.h"
#include "tests/sandbox/http_types.h"
#include "tests/sandbox/json_util.h"

namespace sandbox {

// Serves the pod subresources a kubelet answers (log today). Implemented by the simulated
// cluster (sim/cluster.h); without one the API server answers as for a pod no kubelet runs.
class PodStreams {
 public:
  virtual ~PodStreams() = default;
  // Answers GET pods/log for `pod` with the request's options (a stream when following). Fails
  // with a Status (400 for a bad container or option).
  virtual mm::Result<Response> Log(const Json& pod, const Request& request) = 0;
};

}  // namespace sandbox
