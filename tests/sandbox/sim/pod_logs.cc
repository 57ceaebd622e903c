#include "tests/sandbox/sim/pod_logs.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>

namespace sandbox::sim {
namespace {

std::string Rfc3339Nano(TimePoint t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ns / 1000000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(ns % 1000000000));
  return out;
}

std::string Key(const std::string& uid, const std::string& container, int run) {
  return uid + "/" + container + "/" + std::to_string(run);
}

bool ParseInt(const Request& request, const char* name, int64_t& out, std::string& error) {
  if (!request.HasQuery(name)) return true;
  std::string text = request.Query(name);
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') {
    error = std::string("invalid ") + name + " " + text;
    return false;
  }
  out = value;
  return true;
}

bool QueryTrue(const Request& request, const char* name) {
  std::string v = request.Query(name);
  return v == "true" || v == "True" || v == "1" || v == "t";
}

}  // namespace

struct Follower;

struct LogStore::State {
  struct Log {
    std::vector<LogLine> lines;
    bool finished = false;
  };
  std::map<std::string, Log> logs;
  std::map<std::string, std::set<LogListener*>> followers;  // `logs -f` and attach
};

// One `logs -f` response: writes the rendered backlog, then each new line, until the run ends
// or limitBytes is reached.
struct Follower : Stream, LogListener {
  Follower(std::weak_ptr<LogStore::State> s, std::string k, LogOptions o, std::string backlog)
      : state(std::move(s)),
        key(std::move(k)),
        options(std::move(o)),
        pending(std::move(backlog)) {}

  void Start(StreamSink* s) override {
    sink = s;
    auto locked = state.lock();
    Emit(pending);
    pending.clear();
    if (locked == nullptr || done || locked->logs[key].finished) {
      Finish();
      return;
    }
    locked->followers[key].insert(this);
  }
  void Tick() override {}
  void Stop() override {
    if (auto locked = state.lock()) locked->followers[key].erase(this);
    sink = nullptr;
  }
  std::chrono::steady_clock::time_point deadline() const override {
    return std::chrono::steady_clock::time_point::max();
  }

  void Emit(std::string text) {
    if (sink == nullptr || text.empty() || done) return;
    if (options.limit_bytes >= 0) {
      int64_t room = options.limit_bytes - written;
      if (static_cast<int64_t>(text.size()) >= room) {
        text.resize(static_cast<size_t>(std::max<int64_t>(room, 0)));
        done = true;
      }
    }
    written += static_cast<int64_t>(text.size());
    if (!text.empty()) sink->Write(std::move(text));
    if (done) sink->End();
  }
  void OnLine(const LogLine& line) override {
    Emit((options.timestamps ? Rfc3339Nano(line.time) + " " : "") + line.text + "\n");
  }
  void OnEnd() override { Finish(); }
  void Finish() {
    if (sink != nullptr && !done) sink->End();
    done = true;
  }

  std::weak_ptr<LogStore::State> state;
  std::string key;
  LogOptions options;
  std::string pending;
  StreamSink* sink = nullptr;
  int64_t written = 0;
  bool done = false;
};

bool ParseLogOptions(const Request& request, LogOptions& options, std::string& error) {
  options.container = request.Query("container");
  options.follow = QueryTrue(request, "follow");
  options.timestamps = QueryTrue(request, "timestamps");
  options.previous = QueryTrue(request, "previous");
  return ParseInt(request, "tailLines", options.tail_lines, error) &&
         ParseInt(request, "sinceSeconds", options.since_seconds, error) &&
         ParseInt(request, "limitBytes", options.limit_bytes, error);
}

std::string RenderLog(const std::vector<LogLine>& lines, const LogOptions& options, TimePoint now) {
  size_t first = 0;
  if (options.since_seconds >= 0) {
    TimePoint since = now - std::chrono::seconds(options.since_seconds);
    while (first < lines.size() && lines[first].time < since) ++first;
  }
  if (options.tail_lines >= 0 && lines.size() - first > static_cast<size_t>(options.tail_lines)) {
    first = lines.size() - static_cast<size_t>(options.tail_lines);
  }
  std::string out;
  for (size_t i = first; i < lines.size(); ++i) {
    if (options.timestamps) out += Rfc3339Nano(lines[i].time) + " ";
    out += lines[i].text + "\n";
  }
  if (options.limit_bytes >= 0 && out.size() > static_cast<size_t>(options.limit_bytes)) {
    out.resize(static_cast<size_t>(options.limit_bytes));
  }
  return out;
}

LogStore::LogStore() : state_(std::make_shared<State>()) {}

LogStore::~LogStore() {
  for (auto& [key, followers] : state_->followers) {
    for (LogListener* f : followers) f->OnEnd();
  }
}

void LogStore::Append(const std::string& uid, const std::string& container, int run, LogLine line) {
  std::string key = Key(uid, container, run);
  state_->logs[key].lines.push_back(line);
  auto it = state_->followers.find(key);
  if (it == state_->followers.end()) return;
  std::vector<LogListener*> targets(it->second.begin(), it->second.end());
  for (LogListener* f : targets) {
    if (it->second.count(f) != 0) f->OnLine(line);  // still listening
  }
}

void LogStore::Finish(const std::string& uid, const std::string& container, int run) {
  std::string key = Key(uid, container, run);
  state_->logs[key].finished = true;
  auto it = state_->followers.find(key);
  if (it == state_->followers.end()) return;
  std::vector<LogListener*> targets(it->second.begin(), it->second.end());
  for (LogListener* f : targets) {
    if (it->second.count(f) != 0) f->OnEnd();
  }
}

void LogStore::Forget(const std::string& uid) {
  std::string prefix = uid + "/";
  for (auto it = state_->followers.lower_bound(prefix);
       it != state_->followers.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    std::vector<LogListener*> targets(it->second.begin(), it->second.end());
    for (LogListener* f : targets) {
      if (it->second.count(f) != 0) f->OnEnd();
    }
  }
  forgotten_.insert(uid);
  auto it = state_->logs.lower_bound(prefix);
  while (it != state_->logs.end() && it->first.rfind(prefix, 0) == 0) it = state_->logs.erase(it);
}

const std::vector<LogLine>* LogStore::Lines(const std::string& uid, const std::string& container,
                                            int run) const {
  auto it = state_->logs.find(Key(uid, container, run));
  return it == state_->logs.end() ? nullptr : &it->second.lines;
}

std::shared_ptr<Stream> LogStore::Follow(const std::string& uid, const std::string& container,
                                         int run, const LogOptions& options, TimePoint now) {
  std::string key = Key(uid, container, run);
  const std::vector<LogLine>* lines = Lines(uid, container, run);
  std::string backlog = lines ? RenderLog(*lines, options, now) : "";
  auto follower = std::make_shared<Follower>(state_, key, options, std::move(backlog));
  return follower;
}

bool LogStore::Ended(const std::string& uid, const std::string& container, int run) const {
  if (forgotten_.count(uid) != 0) return true;
  auto it = state_->logs.find(Key(uid, container, run));
  return it != state_->logs.end() && it->second.finished;
}

std::unique_ptr<LogStore::Subscription> LogStore::Listen(const std::string& uid,
                                                         const std::string& container, int run,
                                                         LogListener* listener) {
  std::string key = Key(uid, container, run);
  state_->followers[key].insert(listener);
  return std::make_unique<Subscription>(state_, std::move(key), listener);
}

LogStore::Subscription::Subscription(std::weak_ptr<State> state, std::string key,
                                     LogListener* listener)
    : state_(std::move(state)), key_(std::move(key)), listener_(listener) {}

LogStore::Subscription::~Subscription() {
  auto locked = state_.lock();
  if (locked == nullptr) return;
  // Only the set entry goes: the store may be iterating over its map of sets right now.
  auto it = locked->followers.find(key_);
  if (it != locked->followers.end()) it->second.erase(listener_);
}

}  // namespace sandbox::sim
