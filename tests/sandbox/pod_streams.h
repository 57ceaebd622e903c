#pragma once

#include "core/result.h"
#include "tests/sandbox/http_types.h"
#include "tests/sandbox/json_util.h"

namespace sandbox {

// Serves the pod subresources a kubelet answers (log, exec, attach, portforward). Implemented by
// the simulated cluster (sim/cluster.h); without one the API server answers as for a pod no kubelet
// runs.
class PodStreams {
 public:
  virtual ~PodStreams() = default;
  // Answers GET pods/log for `pod` with the request's options (a stream when following). Fails
  // with a Status (400 for a bad container or option).
  virtual mm::Result<Response> Log(const Json& pod, const Request& request) = 0;
  // Answers an upgrade request (Request::upgrade set) for pods/exec, pods/attach or
  // pods/portforward: a 101 Response whose `websocket` handler runs the session, or a failure as
  // the kubelet reports it (400 bad options or container, 500 pod/container not running).
  virtual mm::Result<Response> Exec(const Json& pod, const Request& request) = 0;
  virtual mm::Result<Response> Attach(const Json& pod, const Request& request) = 0;
  virtual mm::Result<Response> PortForward(const Json& pod, const Request& request) = 0;
};

}  // namespace sandbox
