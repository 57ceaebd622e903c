#pragma once

#include <chrono>

namespace mm::kubeapi {

class CancellationToken;

// Time as the client sees it. Retries, credential expiry and deadlines read time only through a
// Clock, so tests inject a fake one and check timing without sleeping.
class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  // Returns the current wall-clock time (compared with expirationTimestamp and deadlines).
  virtual TimePoint Now() = 0;
  // Waits `duration`, returning early (false) when `cancel` is cancelled; true when it elapsed.
  virtual bool SleepFor(std::chrono::milliseconds duration, const CancellationToken* cancel) = 0;
};

// Returns the process' real clock (a shared, stateless instance).
Clock& RealClock();

}  // namespace mm::kubeapi
