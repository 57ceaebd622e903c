#pragma once

#include <chrono>
#include <functional>

namespace sandbox {

// Runs tasks later on the server's single thread: the seam between the simulated cluster and the
// event loop. The TLS server implements it with io_context timers; tests with a manual clock.
class Timers {
 public:
  virtual ~Timers() = default;
  // Runs `task` once after `delay` (0 = as soon as the current handler returns). Tasks never run
  // inside After itself, so callers may schedule from within store event callbacks.
  virtual void After(std::chrono::milliseconds delay, std::function<void()> task) = 0;
};

}  // namespace sandbox
