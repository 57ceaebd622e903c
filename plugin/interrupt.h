#pragma once

#include <signal.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "kubeapi/cancellation.h"

namespace mm {

// Ctrl-C (SIGINT) and SIGTERM for every command. RunCommand creates the outermost guard, before
// the command starts any thread; while it lives, both signals are blocked in the calling thread
// (and so in every thread started afterwards) and taken by a watcher thread of its own. The
// first one only requests a stop: it cancels the guard's token (which the command's API client
// passes with every request, so a request in flight ends at once) and the tokens of the guards
// nested in it, and the command ends at a safe point (exit 130 through kInterrupted, or as the
// command documents). SIGTERM is treated as Ctrl-C: exit 130 too, not 143 (see README, Exit
// codes). A second one means "now": the process exits at once with 130 after one line on
// stderr. The destructor stops the watcher and restores the signal mask.
//
// A guard created while another lives (a command's own, around a wait) nests: it starts no
// watcher, the outer guard's signal cancels its token too, and signal() reports the outer
// guard's signal. Not copyable; guards are destroyed in reverse order of creation.
class InterruptGuard {
 public:
  // Cancels a token of its own (token()).
  InterruptGuard();
  // Cancels `cancel` (borrowed; must outlive the guard), which the command may also cancel for
  // reasons of its own.
  explicit InterruptGuard(kubeapi::CancellationToken& cancel);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // The token a signal cancels.
  const kubeapi::CancellationToken& token() const { return cancel_; }
  // The signal that requested the stop (SIGINT or SIGTERM), 0 while none arrived.
  int signal() const { return outer_ != nullptr ? outer_->signal() : signal_.load(); }
  // True when a signal (not some other cancel) stopped the command.
  bool interrupted() const { return signal() != 0; }
  // True when a guard was nested in this one: the command watched for the signal itself and
  // decided how to end.
  bool nested() const { return nested_.load(); }

  // While alive, a signal ends the process at once (exit 130, one line on stderr) instead of
  // requesting a stop: for a wait that no token can end, such as reading a prompt's answer from
  // the terminal, before the command has changed anything. Nothing happens without a guard.
  class ExitAtOnce {
   public:
    ExitAtOnce();
    ~ExitAtOnce();
    ExitAtOnce(const ExitAtOnce&) = delete;
    ExitAtOnce& operator=(const ExitAtOnce&) = delete;
  };

 private:
  void Start();
  void Take(int signal);  // the watcher's reaction to a signal

  kubeapi::CancellationToken own_;
  kubeapi::CancellationToken& cancel_;
  InterruptGuard* outer_ = nullptr;  // the guard this one is nested in
  sigset_t previous_;
  std::atomic<int> signal_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> nested_{false};
  std::atomic<bool> exit_at_once_{false};
  std::mutex mutex_;                                // guards inner_
  std::vector<kubeapi::CancellationToken*> inner_;  // nested guards' tokens
  std::thread watcher_;
};

}  // namespace mm
