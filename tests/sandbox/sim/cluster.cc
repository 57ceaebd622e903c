#include "tests/sandbox/sim/cluster.h"

#include <cstdio>

#include "core/json.h"
#include "tests/sandbox/status.h"
#include "tests/sandbox/table.h"

namespace sandbox::sim {
namespace {

constexpr const char* kWatched[] = {
    "apps/deployments", "apps/replicasets",       "apps/statefulsets", "batch/jobs", "/pods",
    "/nodes",           "/persistentvolumeclaims"};

// The name of the controlling owner of `object` when it is of `kind`, or "".
std::string ControllerOf(const Json& object, const std::string& kind) {
  const Json* refs = AtPath(object, "metadata.ownerReferences");
  if (refs == nullptr || !refs->IsArray()) return "";
  for (const auto& ref : refs->GetArray()) {
    const Json* controller = Member(ref, "controller");
    if (controller && controller->IsTrue() && Str(ref, "kind") == kind) return Str(ref, "name");
  }
  return "";
}

}  // namespace

Cluster::Cluster(ApiServer& api, Timers& timers, SimConfig config)
    : api_(api), timers_(timers), config_(std::move(config)), random_(config_.seed) {
  for (const char* id : kWatched) api_.store().Subscribe(id, this);
  api_.set_pod_streams(this);
}

Cluster::~Cluster() {
  for (const char* id : kWatched) api_.store().Unsubscribe(id, this);
  api_.set_pod_streams(nullptr);
}

void Cluster::Resync() {
  for (const char* id : kWatched) {
    api_.store().Scan(id, "", "", 0, [&](const std::string& key, const ObjectPtr& object) {
      OnEvent({.type = EventType::kAdded, .storage_id = id, .key = key, .object = object});
      return true;
    });
  }
}

void Cluster::OnEvent(const Event& event) {
  const Json& object = *event.object;
  std::string ns = Str(*Member(object, "metadata"), "namespace");
  if (event.storage_id == "apps/deployments") {
    Enqueue("deployment", event.key);
  } else if (event.storage_id == "apps/replicasets") {
    Enqueue("replicaset", event.key);
    if (auto owner = ControllerOf(object, "Deployment"); !owner.empty()) {
      Enqueue("deployment", ObjectKey(ns, owner));
    }
  } else if (event.storage_id == "apps/statefulsets") {
    Enqueue("statefulset", event.key);
  } else if (event.storage_id == "batch/jobs") {
    Enqueue("job", event.key);
  } else if (event.storage_id == "/pods") {
    OnPodEvent(event);
    if (auto owner = ControllerOf(object, "ReplicaSet"); !owner.empty()) {
      Enqueue("replicaset", ObjectKey(ns, owner));
    }
    if (auto owner = ControllerOf(object, "Job"); !owner.empty()) {
      Enqueue("job", ObjectKey(ns, owner));
    }
    if (auto owner = ControllerOf(object, "StatefulSet"); !owner.empty()) {
      Enqueue("statefulset", ObjectKey(ns, owner));
    }
  } else if (event.storage_id == "/nodes") {
    RetryUnschedulable();
  } else if (event.storage_id == "/persistentvolumeclaims") {
    Enqueue("claim", event.key);
  }
}

void Cluster::Enqueue(const std::string& kind, const std::string& key) {
  dirty_.emplace(kind, key);
  if (drain_scheduled_) return;
  drain_scheduled_ = true;
  timers_.After(std::chrono::milliseconds(0), [this] { Drain(); });
}

void Cluster::Drain() {
  drain_scheduled_ = false;
  auto batch = std::move(dirty_);
  dirty_.clear();
  for (const auto& [kind, key] : batch) {
    if (kind == "deployment") SyncDeployment(key);
    if (kind == "replicaset") SyncReplicaSet(key);
    if (kind == "job") SyncJob(key);
    if (kind == "statefulset") SyncStatefulSet(key);
    if (kind == "claim") SyncClaim(key);
  }
}

Response Cluster::Call(const std::string& method, const std::string& path,
                       const std::string& body) {
  Request request;
  request.method = method;
  request.path = path;
  request.body = body;
  request.content_type = "application/json";
  request.accept = "application/json";
  request.user_agent = "kube-controller-manager/v1.32.4 (linux/amd64) kubernetes/59526cd";
  request.cert_user = "system:kube-controller-manager";
  request.cert_groups = {"system:masters"};
  request.in_process = true;
  request.in_process = true;
  Response response = api_.Handle(request);
  if (response.code >= 400) {
    std::fprintf(stderr, "kube-sandbox: sim: %s %s failed: %d %s\n", method.c_str(), path.c_str(),
                 response.code, response.body.c_str());
  }
  return response;
}

ObjectPtr Cluster::Create(const std::string& path, const Json& object) {
  Response response = Call("POST", path, Dump(object));
  if (response.code >= 300) return nullptr;
  auto parsed = mm::ParseJson(response.body);
  return parsed ? Freeze(std::move(*parsed)) : nullptr;
}

void Cluster::PutStatus(const std::string& path, const Json& object) {
  Call("PUT", path + "/status", Dump(object));
}

std::vector<ObjectPtr> Cluster::Owned(const std::string& storage_id, const std::string& ns,
                                      const std::string& owner_uid) const {
  std::vector<ObjectPtr> out;
  api_.store().Scan(storage_id, ns + "/", "", 0, [&](const std::string&, const ObjectPtr& o) {
    const Json* refs = AtPath(*o, "metadata.ownerReferences");
    if (refs == nullptr || !refs->IsArray()) return true;
    for (const auto& ref : refs->GetArray()) {
      const Json* controller = Member(ref, "controller");
      if (controller && controller->IsTrue() && Str(ref, "uid") == owner_uid) out.push_back(o);
    }
    return true;
  });
  return out;
}

std::string Cluster::Now() const { return FormatTimestamp(config_.clock()); }

std::string Cluster::RandomSuffix() {
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (int i = 0; i < 5; ++i) out += kAlphabet[random_() % kAlphabet.size()];
  return out;
}

mm::Result<Response> Cluster::Log(const Json& pod, const Request& request) {
  LogOptions options;
  std::string error;
  if (!ParseLogOptions(request, options, error)) return mm::Error::Api(BadRequest(error));
  const Json& metadata = *Member(pod, "metadata");
  std::string name = Str(metadata, "name");
  if (options.container.empty()) {
    auto container = PickContainer(pod, "");
    if (!container) return container.error();
    options.container = *container;
  }
  Response response;
  response.content_type = "text/plain";
  auto it = pods_.find(ObjectKey(Str(metadata, "namespace"), name));
  if (it == pods_.end() || it->second.uid != Str(metadata, "uid")) return response;
  const ContainerRun* c = nullptr;
  for (const auto* list : {&it->second.init, &it->second.main}) {
    for (const auto& candidate : *list) {
      if (candidate.name == options.container) c = &candidate;
    }
  }
  if (c == nullptr) {
    return mm::Error::Api(
        BadRequest("container " + options.container + " is not valid for pod " + name));
  }
  int run = c->restarts;
  if (options.previous) {
    if (c->restarts == 0) {
      return mm::Error::Api(BadRequest("previous terminated container \"" + c->name +
                                       "\" in pod \"" + name + "\" not found"));
    }
    run = c->restarts - 1;
  } else if (c->state == ContainerRun::State::kWaiting &&
             logs_.Lines(it->second.uid, c->name, run) == nullptr) {
    return mm::Error::Api(BadRequest("container \"" + c->name + "\" in pod \"" + name +
                                     "\" is waiting to start: " + c->reason));
  }
  if (options.follow && !options.previous) {
    response.stream = logs_.Follow(it->second.uid, c->name, run, options, config_.clock());
    return response;
  }
  static const std::vector<LogLine> kNone;
  const auto* lines = logs_.Lines(it->second.uid, c->name, run);
  response.body = RenderLog(lines ? *lines : kNone, options, config_.clock());
  return response;
}

}  // namespace sandbox::sim
