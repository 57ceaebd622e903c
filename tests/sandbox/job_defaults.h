#pragma once

#include "tests/sandbox/json_util.h"

namespace sandbox {

// What kube-apiserver's job strategy adds to a new batch/v1 Job (its metadata.uid already set;
// the spec defaults are ApplyDefaults'): the generated selector on
// batch.kubernetes.io/controller-uid and the four job labels on the pod template, so `kubectl
// logs job/x` finds its pods. A job with spec.manualSelector true keeps its own selector.
void DefaultJob(rapidjson::Document& job);

}  // namespace sandbox
