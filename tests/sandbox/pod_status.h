#pragma once

#include <string>

#include "tests/sandbox/json_util.h"

namespace sandbox {

// The STATUS column of `kubectl get pods` as kube-apiserver's printer computes it (printPod):
// Init:N/M or Init:<reason> while init containers run, then the first container's waiting or
// terminated reason (CrashLoopBackOff, Completed, Error, ExitCode:N), else the phase;
// Terminating once deletionTimestamp is set.
std::string PodStatusReason(const Json& pod);

}  // namespace sandbox
