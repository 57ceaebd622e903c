#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/sandbox/json_util.h"

namespace sandbox::sim {

// What a pod asks of a node, as the scheduler's NodeResourcesFit counts it: the sum of its
// containers' requests, or its largest init container's when that is larger; in thousandths
// (millicores, millibytes). Requests that are absent or not quantities count as zero.
struct PodRequests {
  int64_t cpu_milli = 0;
  int64_t memory_milli = 0;
};
PodRequests RequestsOf(const Json& pod);

// Where a pod goes: `node` (its index in `nodes` in `index`), or, when none fits, the
// scheduler's FailedScheduling message, e.g. `0/3 nodes are available: 3 Insufficient cpu.
// preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.`
struct Placement {
  std::string node;
  size_t index = 0;
  std::string message;
};

// Picks a node for `pod` among `nodes` (Node objects), trying them in turn from `start`: one
// that is schedulable and whose status.allocatable cpu, memory and pods still hold the pod next
// to the unfinished pods already bound to it (`pods`: every pod; the pod itself is skipped).
Placement PlacePod(const Json& pod, const std::vector<ObjectPtr>& nodes,
                   const std::vector<ObjectPtr>& pods, size_t start);

}  // namespace sandbox::sim
