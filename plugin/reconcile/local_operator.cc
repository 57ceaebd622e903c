#include "plugin/reconcile/local_operator.h"

#include <signal.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/json.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/status.h"
#include "kubeapi/informer.h"
#include "plugin/engine/cluster_reader.h"
#include "plugin/engine/engine.h"
#include "plugin/engine/object_cache.h"
#include "plugin/interrupt.h"
#include "plugin/reconcile/work_queue.h"

namespace mm {
namespace {

using Key = WorkQueue::Key;

constexpr auto kRequeueOnLimit = std::chrono::seconds(20);  // REQUEUE_ON_LIMIT_DELAY
// A write based on a cached object the server has moved past: the watch event that moves the
// cache is on its way, so try again soon.
constexpr auto kRequeueOnConflict = std::chrono::seconds(1);

// The kinds whose changes queue their installation from the start: the Mattermost and what the
// operator watches or its health check reads. A pass that reads another kind (Secrets, PVCs,
// RBAC, IngressClasses, ...) starts that kind's informer on first read.
constexpr std::pair<const char*, const char*> kWatchedKinds[] = {
    {"apps/v1", "Deployment"},           {"apps/v1", "ReplicaSet"}, {"v1", "Service"},
    {"networking.k8s.io/v1", "Ingress"}, {"batch/v1", "Job"},
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
  std::string installation = labels ? GetString(*labels, engine::kInstallationLabel) : "";
  if (installation.empty()) return std::nullopt;
  return Key{ns, installation};
}

engine::SharedObject ShareCopy(const rapidjson::Value& object) {
  auto copy = std::make_shared<rapidjson::Document>();
  copy->CopyFrom(object, copy->GetAllocator());
  return copy;
}

class LocalOperator {
 public:
  LocalOperator(kubeapi::Client& client, const LocalOperatorOptions& options, IOStreams& streams)
      : client_(client), options_(options), streams_(streams) {}

  Result<void> Run() {
    InterruptGuard interrupt(cancel_);  // before any thread starts
    auto mapping = client_.mapper().Mapping(kMattermostApiVersion, kMattermostKind);
    if (!mapping) return std::move(mapping).error();
    StartInformer(*mapping);
    for (auto [api_version, kind] : kWatchedKinds) {
      StartInformer(*kubeapi::BuiltinMapping(api_version, kind));
    }
    std::vector<std::thread> workers;
    for (int i = 0; i < options_.workers; ++i) workers.emplace_back([this] { Work(); });
    Say("local operator started (Ctrl-C stops it)");
    // Until SIGINT/SIGTERM, or an informer's failure, cancels everything.
    while (!cancel_.WaitFor(std::chrono::hours(1))) {
    }
    queue_.Wake();
    for (std::thread& worker : workers) worker.join();
    // No worker runs now, so no informer starts: the list is final.
    for (std::thread& informer : informers_) informer.join();
    Say("local operator stopped: " + std::to_string(passes_) + " passes, " +
        std::to_string(writes_) + (writes_ == 1 ? " write" : " writes"));
    if (failure_) return *failure_;
    if (interrupt.signal() == SIGINT) return Error::Interrupted("interrupted");
    return {};
  }

 private:
  bool Selected(const Key& key) const {
    return (options_.namespace_name.empty() || key.first == options_.namespace_name) &&
           (options_.name.empty() || key.second == options_.name);
  }

  void Say(const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    streams_.err << line + "\n" << std::flush;  // one insertion: see Report
  }

  // Starts the informer of `mapping`'s resource unless it runs already.
  void StartInformer(const kubeapi::ResourceMapping& mapping) {
    std::lock_guard<std::mutex> lock(informers_mutex_);
    if (!informed_.insert(mapping.GroupResource()).second) return;
    informers_.emplace_back([this, mapping] { Inform(mapping); });
  }

  // The cached reader's loader: the resource's informer, then its first sync.
  Result<void> Load(const kubeapi::ResourceMapping& mapping) {
    StartInformer(mapping);
    if (!cache_.WaitSynced(mapping.GroupResource(), &cancel_)) {
      return Error::Interrupted("stopped before " + mapping.GroupResource() + " were listed");
    }
    return {};
  }

  // Keeps `mapping`'s resource in cache_ (list, then watch) and queues the installation of every
  // object that changes; the cache is updated before the queue, so the pass sees the change.
  void Inform(const kubeapi::ResourceMapping& mapping) {
    const bool mattermosts = mapping.kind == kMattermostKind;
    const std::string resource = mapping.GroupResource();
    kubeapi::Informer informer(client_.rest(), mapping, options_.namespace_name, {.limit = 0});
    auto handler = [&](const kubeapi::WatchEvent* event, const kubeapi::ObjectStore& store) {
      if (event == nullptr) {  // in sync: the whole store; every installation gets a pass
        std::vector<engine::SharedObject> objects;
        for (const auto& [unused, object] : store) objects.push_back(ShareCopy(object));
        cache_.Replace(resource, std::move(objects));
        if (mattermosts) QueueAll(store);
        return kubeapi::WatchDecision::kContinue;
      }
      if (event->type == kubeapi::WatchEventType::kBookmark) {
        return kubeapi::WatchDecision::kContinue;
      }
      if (event->type == kubeapi::WatchEventType::kDeleted) {
        cache_.Remove(resource, event->object);
      } else {
        cache_.Put(resource, ShareCopy(event->object));
      }
      if (auto key = OwnerKey(event->object); key && Selected(*key)) {
        if (mattermosts) Track(*key, *event);
        queue_.Add(*key);
      }
      return kubeapi::WatchDecision::kContinue;
    };
    auto forever = kubeapi::RealClock().Now() + std::chrono::hours(24 * 365);
    auto ran = informer.Run(handler, kubeapi::RealClock(), forever, &cancel_);
    if (!ran && ran.error().kind() != ErrorKind::kInterrupted) {
      Say("error: watch " + resource + ": " + ran.error().message());
      std::lock_guard<std::mutex> lock(mutex_);
      if (!failure_) failure_ = ran.error();
      cancel_.Cancel();
    }
  }

  void QueueAll(const kubeapi::ObjectStore& store) {
    std::lock_guard<std::mutex> lock(mutex_);
    states_.clear();
    for (const auto& [unused, object] : store) {
      if (auto key = OwnerKey(object); key && Selected(*key)) {
        states_[*key] = ReadMattermostStatus(object).state;
        queue_.Add(*key);
      }
    }
  }

  void Track(const Key& key, const kubeapi::WatchEvent& event) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (event.type == kubeapi::WatchEventType::kDeleted) {
      states_.erase(key);
    } else {
      states_[key] = ReadMattermostStatus(event.object).state;
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
        if (options_.verbosity >= 2) {
          Say(key.first + "/" + key.second + ": waiting, " +
              std::to_string(options_.max_reconciling) +
              " installations are reconciling (--max-concurrent); again in 20s");
        }
        continue;
      }
      auto pass = engine::ReconcileOnce(client_, key.first, key.second, {.reader = &reader_});
      Release(key);
      queue_.Done(key);
      Report(key, pass);
      bool failed = (pass && !pass->plan.error.empty()) ||
                    (!pass && !IsConflict(pass.error()) && !IsNotFound(pass.error()));
      std::chrono::seconds back_off = BackOff(key, failed);
      if (pass && pass->plan.requeue_after_seconds) {
        queue_.Add(key, std::chrono::seconds(*pass->plan.requeue_after_seconds));
      } else if (!pass && IsConflict(pass.error())) {
        queue_.Add(key, kRequeueOnConflict);
      } else if (failed) {
        // Retried, as controller-runtime does: what a failed reconcile waits for (a license
        // secret, say) may be a kind whose changes queue nothing.
        queue_.Add(key, back_off);
      }
    }
  }

  // The delay before retrying `key` after this pass (FailureBackOff of the failures in a row); a
  // pass that did not fail resets the count.
  std::chrono::seconds BackOff(const Key& key, bool failed) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failed) {
      failures_.erase(key);
      return FailureBackOff(1);
    }
    return FailureBackOff(++failures_[key]);
  }

  void Report(const Key& key, const Result<engine::PassResult>& pass) {
    std::string line = Describe(key, pass);
    std::lock_guard<std::mutex> lock(mutex_);
    ++passes_;
    if (pass) writes_ += pass->writes;
    // One insertion: the unbuffered stream writes the line at once, never inside a -v log line.
    if (!line.empty()) streams_.err << line << std::flush;
  }

  // The line a pass gets ("" for none): writes or a failure, and with -v=2 the rest.
  std::string Describe(const Key& key, const Result<engine::PassResult>& pass) const {
    std::string what = key.first + "/" + key.second;
    if (!pass) {
      const Error& error = pass.error();
      bool quiet =
          IsNotFound(error) || IsConflict(error) || error.kind() == ErrorKind::kInterrupted;
      return quiet ? "" : "error: " + what + ": " + error.message() + "\n";
    }
    if (pass->writes == 0 && pass->plan.error.empty()) {
      return options_.verbosity >= 2
                 ? what + ": no changes, state " + pass->plan.status.state + "\n"
                 : "";
    }
    std::string line = what + ": " + std::to_string(pass->writes) +
                       (pass->writes == 1 ? " write" : " writes") + ", state " +
                       pass->plan.status.state;
    if (!pass->plan.error.empty()) line += ", error: " + pass->plan.error;
    return line + "\n";
  }

  kubeapi::Client& client_;
  const LocalOperatorOptions& options_;
  IOStreams& streams_;
  kubeapi::CancellationToken cancel_;
  WorkQueue queue_;
  engine::ObjectCache cache_;
  engine::CachedReader reader_{
      cache_, [this](const kubeapi::ResourceMapping& mapping) { return Load(mapping); }};

  std::mutex informers_mutex_;  // guards the two below
  std::set<std::string> informed_;
  std::vector<std::thread> informers_;

  std::mutex mutex_;  // guards the members below and streams_
  std::map<Key, std::string> states_;
  std::map<Key, int> failures_;  // failed passes in a row
  std::set<Key> admitted_;
  int in_flight_ = 0;
  int passes_ = 0;
  int writes_ = 0;
  std::optional<Error> failure_;
};

}  // namespace

Result<void> RunLocalOperator(kubeapi::Client& client, const LocalOperatorOptions& options,
                              IOStreams& streams) {
  return LocalOperator(client, options, streams).Run();
}

}  // namespace mm
