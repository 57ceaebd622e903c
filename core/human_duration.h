#pragma once

#include <chrono>
#include <string>

namespace mm {

// Returns `age` the way kubectl prints ages (Go's duration.HumanDuration): "45s", "3m20s", "5h",
// "2d3h", "3y". Negative ages within a second print "0s", earlier ones "<invalid>".
std::string HumanDuration(std::chrono::seconds age);

}  // namespace mm
