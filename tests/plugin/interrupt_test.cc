#include "plugin/interrupt.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>

namespace mm {
namespace {

// Generous: the machine may be loaded; a signal normally arrives within milliseconds.
constexpr std::chrono::milliseconds kPatience{30000};

TEST(InterruptGuardTest, TheFirstSignalOnlyRequestsAStop) {
  for (int signal : {SIGINT, SIGTERM}) {
    InterruptGuard guard;
    EXPECT_FALSE(guard.interrupted());
    ASSERT_EQ(kill(getpid(), signal), 0);
    ASSERT_TRUE(guard.token().WaitFor(kPatience)) << signal;
    EXPECT_EQ(guard.signal(), signal);
    EXPECT_TRUE(guard.interrupted());
  }
}

TEST(InterruptGuardTest, CancelsTheTokenItIsGivenAndTellsOtherCancelsApart) {
  kubeapi::CancellationToken cancel;
  {
    InterruptGuard guard(cancel);
    cancel.Cancel();  // the command's own reason, not a signal
    EXPECT_FALSE(guard.interrupted());
  }
  kubeapi::CancellationToken other;
  InterruptGuard guard(other);
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  ASSERT_TRUE(other.WaitFor(kPatience));
  EXPECT_EQ(guard.signal(), SIGINT);
}

TEST(InterruptGuardTest, ANestedGuardIsCancelledByTheOuterOnesSignal) {
  InterruptGuard outer;  // the CLI's, around every command
  kubeapi::CancellationToken wait;
  {
    InterruptGuard inner(wait);  // a command's own, around its wait
    EXPECT_TRUE(outer.nested());
    ASSERT_EQ(kill(getpid(), SIGTERM), 0);
    ASSERT_TRUE(wait.WaitFor(kPatience));
    EXPECT_EQ(inner.signal(), SIGTERM);
  }
  EXPECT_TRUE(outer.token().IsCancelled());
  // A guard nested after the signal starts cancelled.
  kubeapi::CancellationToken late;
  InterruptGuard inner(late);
  EXPECT_TRUE(late.IsCancelled());
}

TEST(InterruptGuardDeathTest, ASignalWhileExitAtOnceLivesEndsTheProcessWith130) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        InterruptGuard guard;
        InterruptGuard::ExitAtOnce at_once;  // e.g. reading a prompt's answer
        kill(getpid(), SIGINT);
        sleep(60);  // the guard's watcher ends the process first
      },
      testing::ExitedWithCode(130), "error: interrupted");
}

TEST(InterruptGuardDeathTest, TheSecondSignalExitsAtOnceWith130) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        InterruptGuard guard;
        kill(getpid(), SIGINT);
        guard.token().WaitFor(kPatience);
        kill(getpid(), SIGINT);
        sleep(60);  // the guard's watcher ends the process first
      },
      testing::ExitedWithCode(130), "error: interrupted again: stopping at once");
}

}  // namespace
}  // namespace mm
