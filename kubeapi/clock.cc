#include "kubeapi/clock.h"

#include <thread>

#include "kubeapi/cancellation.h"

namespace mm::kubeapi {
namespace {

class SystemClock : public Clock {
 public:
  TimePoint Now() override { return std::chrono::system_clock::now(); }
  bool SleepFor(std::chrono::milliseconds duration, const CancellationToken* cancel) override {
    if (cancel == nullptr) {
      std::this_thread::sleep_for(duration);
      return true;
    }
    return !cancel->WaitFor(duration);
  }
};

}  // namespace

Clock& RealClock() {
  static SystemClock clock;
  return clock;
}

}  // namespace mm::kubeapi
