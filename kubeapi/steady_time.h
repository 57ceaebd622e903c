#pragma once

#include <chrono>

namespace mm::kubeapi {

// Deadlines of reads, writes and dials.
using SteadyTime = std::chrono::steady_clock::time_point;

}  // namespace mm::kubeapi
