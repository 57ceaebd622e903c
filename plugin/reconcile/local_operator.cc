#include "plugin/reconcile/local_operator.h"

#include <pthread.h>
#include <signal.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/json.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/status.h"
#include "kubeapi/informer.h"
#include "plugin/engine/engine.h"

namespace mm {
namespace {

using Key = std::pair<std::string, std::string>;  // namespace, name
using Clock = std::chrono::steady_clock;

constexpr auto kRequeueOnLimit = std::chrono::seconds(20);

// Keys due at a time; a key is queued at most once (the earliest due time wins).
class WorkQueue {
 public:
  void Add(const Key& key, Clock::duration delay = Clock::duration::zero()) {
    std::lock_guard<std::mutex> lock(mutex_);
    Clock::time_point due = Clock::now() + delay;
    auto found = due_.find(key);
    if (found != due_.end() && found->second <= due) return;
    due_[key] = due;
    changed_.notify_all();
  }

  // Waits for a due key not being processed; false once stopped.
  bool Next(Key& key, const kubeapi::CancellationToken& cancel) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!cancel.IsCancelled()) {
      Clock::time_point earliest = Clock::now() + std::chrono::milliseconds(200);
      for (const auto& [candidate, due] : due_) {
        if (busy_.contains(candidate)) continue;
        if (due <= Clock::now()) {
          key = candidate;
          due_.erase(candidate);
          busy_.insert(key);
          return true;
        }
        earliest = std::min(earliest, due);
      }
      changed_.wait_until(lock, earliest);
    }
    return false;
  }

  void Done(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    busy_.erase(key);
    changed_.notify_all();
  }

  void Wake() { changed_.notify_all(); }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<Key, Clock::time_point> due_;
  std::set<Key> busy_;
};

// The installation an object belongs to: its Mattermost owner, else its installation label.
std::optional<Key> OwnerKey(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  if (metadata == nullptr) return std::nullopt;
  std::string ns = GetString(*metadata, "namespace");
  if (GetString(object, "kind") == kMattermostKind) return Key{ns, GetString(*metadata, "name")};
  if (const rapidjson::Value* owners = FindMember(*metadata, "ownerReferences");
      owners != nullptr && owners->IsArray()) {
    for (const rapidjson::Value& owner : owners->GetArray()) {
      if (GetString(owner, "kind") == kMattermostKind) return Key{ns, GetString(owner, "name")};
    }
  }
  const rapidjson::Value* labels = FindMember(*metadata, "labels");
  std::string installation =
      labels ? GetString(*labels, "installation.mattermost.com/installation") : "";
  if (installation.empty()) return std::nullopt;
  return Key{ns, installation};
}

class LocalOperator {
 public:
  LocalOperator(kubeapi::Client& client, const LocalOperatorOptions& options, IOStreams& streams)
      : client_(client), options_(options), streams_(streams) {}

  Result<void> Run() {
    auto mapping = client_.mapper().Mapping(kMattermostApiVersion, kMattermostKind);
    if (!mapping) return std::move(mapping).error();
    std::vector<std::thread> threads;
    threads.emplace_back([this, m = *mapping] { Watch(m, true); });
    for (auto [api_version, kind] : {std::pair{"apps/v1", "Deployment"},
                                     {"apps/v1", "ReplicaSet"},
                                     {"v1", "Service"},
                                     {"networking.k8s.io/v1", "Ingress"},
                                     {"batch/v1", "Job"}}) {
      threads.emplace_back(
          [this, m = *kubeapi::BuiltinMapping(api_version, kind)] { Watch(m, false); });
    }
    for (int i = 0; i < options_.workers; ++i) threads.emplace_back([this] { Work(); });
    streams_.err << "local operator started (Ctrl-C stops it)\n";
    WaitForSignal();
    queue_.Wake();
    for (std::thread& thread : threads) thread.join();
    streams_.err << "local operator stopped\n";
    if (failure_) return *failure_;
    return {};
  }

 private:
  bool Selected(const Key& key) const {
    return (options_.namespace_name.empty() || key.first == options_.namespace_name) &&
           (options_.name.empty() || key.second == options_.name);
  }

  void Watch(const kubeapi::ResourceMapping& mapping, bool mattermosts) {
    kubeapi::Informer informer(client_.rest(), mapping, options_.namespace_name, {});
    auto handler = [&](const kubeapi::WatchEvent* event, const kubeapi::ObjectStore& store) {
      if (event == nullptr && mattermosts) {
        // In sync: every installation gets a first pass.
        std::lock_guard<std::mutex> lock(mutex_);
        states_.clear();
        for (const auto& [unused, object] : store) {
          if (auto key = OwnerKey(object); key && Selected(*key)) {
            states_[*key] = ReadMattermostStatus(object).state;
            queue_.Add(*key);
          }
        }
      } else if (event != nullptr && event->type != kubeapi::WatchEventType::kBookmark) {
        if (auto key = OwnerKey(event->object); key && Selected(*key)) {
          if (mattermosts) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (event->type == kubeapi::WatchEventType::kDeleted) {
              states_.erase(*key);
            } else {
              states_[*key] = ReadMattermostStatus(event->object).state;
            }
          }
          queue_.Add(*key);
        }
      }
      return kubeapi::WatchDecision::kContinue;
    };
    auto forever = kubeapi::RealClock().Now() + std::chrono::hours(24 * 365);
    auto ran = informer.Run(handler, kubeapi::RealClock(), forever, &cancel_);
    if (!ran && ran.error().kind() != ErrorKind::kInterrupted) {
      std::lock_guard<std::mutex> lock(mutex_);
      streams_.err << "error: watch " << mapping.GroupResource() << ": " << ran.error().message()
                   << "\n";
      if (!failure_) failure_ = ran.error();
      cancel_.Cancel();
    }
  }

  // The operator's gate (§5): installations not yet reconciling/ready wait while the limit of
  // reconciling ones is reached. Returns false when `key` must wait.
  bool Admit(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto busy = [](const std::string& state) { return state == "reconciling" || state == "ready"; };
    if (busy(states_[key])) return true;
    int count = in_flight_;
    for (const auto& [unused, state] : states_) count += busy(state) ? 1 : 0;
    if (count >= options_.max_reconciling) return false;
    ++in_flight_;
    admitted_.insert(key);
    return true;
  }

  void Release(const Key& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (admitted_.erase(key) > 0) --in_flight_;
  }

  void Work() {
    Key key;
    while (queue_.Next(key, cancel_)) {
      if (!Admit(key)) {
        queue_.Done(key);
        queue_.Add(key, kRequeueOnLimit);
        continue;
      }
      auto pass = engine::ReconcileOnce(client_, key.first, key.second, {});
      Release(key);
      queue_.Done(key);
      Report(key, pass);
      if (pass && pass->plan.requeue_after_seconds) {
        queue_.Add(key, std::chrono::seconds(*pass->plan.requeue_after_seconds));
      } else if (!pass && !IsNotFound(pass.error())) {
        queue_.Add(key, std::chrono::seconds(5));  // error back-off
      }
    }
  }

  void Report(const Key& key, const Result<engine::PassResult>& pass) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string what = key.first + "/" + key.second;
    if (!pass) {
      if (!IsNotFound(pass.error()))
        streams_.err << "error: " << what << ": " << pass.error().message() << "\n";
      return;
    }
    if (pass->writes == 0 && pass->plan.error.empty()) return;
    streams_.err << what << ": " << pass->writes << (pass->writes == 1 ? " write" : " writes")
                 << ", state " << pass->plan.status.state;
    if (!pass->plan.error.empty()) streams_.err << ", error: " << pass->plan.error;
    streams_.err << "\n";
  }

  // Blocks until SIGINT/SIGTERM (or an informer failed), then cancels everything.
  void WaitForSignal() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    timespec tick{0, 100 * 1000 * 1000};
    while (!cancel_.IsCancelled()) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) break;
    }
    cancel_.Cancel();
  }

  kubeapi::Client& client_;
  const LocalOperatorOptions& options_;
  IOStreams& streams_;
  kubeapi::CancellationToken cancel_;
  WorkQueue queue_;
  std::mutex mutex_;  // guards the members below and streams_
  std::map<Key, std::string> states_;
  std::set<Key> admitted_;
  int in_flight_ = 0;
  std::optional<Error> failure_;
};

}  // namespace

Result<void> RunLocalOperator(kubeapi::Client& client, const LocalOperatorOptions& options,
                              IOStreams& streams) {
  // Every thread inherits a mask that blocks SIGINT/SIGTERM; WaitForSignal takes them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);
  Result<void> result = LocalOperator(client, options, streams).Run();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return result;
}

}  // namespace mm
