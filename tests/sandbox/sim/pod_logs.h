#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/sandbox/http_types.h"

namespace sandbox::sim {

using TimePoint = std::chrono::system_clock::time_point;

struct LogLine {
  TimePoint time;
  std::string text;  // without the newline
};

// The query options of GET pods/log.
struct LogOptions {
  std::string container;
  bool follow = false;
  bool timestamps = false;
  bool previous = false;
  int64_t tail_lines = -1;     // -1: all
  int64_t since_seconds = -1;  // -1: all
  int64_t limit_bytes = -1;    // -1: unlimited
};

// Parses the pods/log query. Returns false (with `error` set to kube-apiserver's message) for a
// malformed number.
bool ParseLogOptions(const Request& request, LogOptions& options, std::string& error);

// The text of `lines` as the kubelet serves it under `options` (tailLines, sinceSeconds relative
// to `now`, timestamps, limitBytes), each line ending in "\n".
std::string RenderLog(const std::vector<LogLine>& lines, const LogOptions& options, TimePoint now);

// Receives the lines of one container run as the container writes them.
class LogListener {
 public:
  virtual ~LogListener() = default;
  virtual void OnLine(const LogLine& line) = 0;
  // The run finished or the pod is gone: no more lines.
  virtual void OnEnd() = 0;
};

// The simulated containers' output: one log per pod uid, container and run (restart count), and
// the followers (`logs -f` responses) waiting for more. Single-threaded.
class LogStore {
 public:
  LogStore();
  ~LogStore();

  void Append(const std::string& uid, const std::string& container, int run, LogLine line);
  // The run ended: its followers' responses end.
  void Finish(const std::string& uid, const std::string& container, int run);
  // The pod is gone: its logs are dropped, its followers end.
  void Forget(const std::string& uid);
  // The lines of one run, or nullptr when it never started.
  const std::vector<LogLine>* Lines(const std::string& uid, const std::string& container,
                                    int run) const;
  // A streaming response for `logs -f` of one run: what is there now, then new lines as they
  // are appended, ending when the run finishes (or at once when it already has).
  std::shared_ptr<Stream> Follow(const std::string& uid, const std::string& container, int run,
                                 const LogOptions& options, TimePoint now);

  // Whether the run ended (its container terminated, or the pod is gone and its logs with it).
  bool Ended(const std::string& uid, const std::string& container, int run) const;
  // Calls `listener` for each line of the run appended from now on, and OnEnd when it ends,
  // until the returned handle is destroyed (which may outlive the store). A run that already
  // ended never calls back: check Ended first.
  class Subscription;
  std::unique_ptr<Subscription> Listen(const std::string& uid, const std::string& container,
                                       int run, LogListener* listener);

  struct State;

 private:
  std::shared_ptr<State> state_;
  std::set<std::string> forgotten_;  // uids of deleted pods
};

class LogStore::Subscription {
 public:
  Subscription(std::weak_ptr<State> state, std::string key, LogListener* listener);
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

 private:
  std::weak_ptr<State> state_;
  std::string key_;
  LogListener* listener_;
};

}  // namespace sandbox::sim
