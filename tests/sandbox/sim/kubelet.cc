// The scheduler and kubelet: pods are bound to a node, their init containers run, then the main
// containers start and behave as their image says (images.h), with status and Events as the
// kubelet writes them. Every step is a timer; nothing blocks.
#include <algorithm>
#include <cstdio>

#include "tests/sandbox/sim/cluster.h"
#include "tests/sandbox/sim/scheduler.h"

namespace sandbox::sim {
namespace {

std::vector<std::string> Strings(const Json& container, const char* field) {
  std::vector<std::string> out;
  const Json* list = Member(container, field);
  if (list == nullptr || !list->IsArray()) return out;
  for (const auto& item : list->GetArray()) out.emplace_back(StrView(item));
  return out;
}

std::vector<ContainerRun> Containers(const Json& pod, const char* field) {
  std::vector<ContainerRun> out;
  const Json* list = AtPath(pod, field);
  if (list == nullptr || !list->IsArray()) return out;
  for (const auto& c : list->GetArray()) {
    ContainerRun run;
    run.name = Str(c, "name");
    run.image = Str(c, "image");
    run.behaviour = BehaviourOf(run.image, Strings(c, "command"), Strings(c, "args"));
    out.push_back(std::move(run));
  }
  return out;
}

std::string ContainerId(const std::string& uid, const ContainerRun& c) {
  std::string seed = uid + c.name + std::to_string(c.restarts);
  uint64_t h = 1469598103934665603ull;
  std::string hex;
  for (int round = 0; round < 4; ++round) {
    for (unsigned char ch : seed) h = (h ^ ch) * 1099511628211ull;
    char part[17];
    std::snprintf(part, sizeof part, "%016llx", static_cast<unsigned long long>(h));
    hex += part;
  }
  return "containerd://" + hex;
}

Json ContainerStatus(const std::string& uid, const ContainerRun& c, Alloc& alloc) {
  Json s(rapidjson::kObjectType);
  SetString(s, "name", c.name, alloc);
  Json state(rapidjson::kObjectType);
  Json inner(rapidjson::kObjectType);
  bool started_once = !c.started_at.empty();
  if (c.state == ContainerRun::State::kRunning) {
    SetString(inner, "startedAt", c.started_at, alloc);
    Set(state, "running", inner, alloc);
  } else if (c.state == ContainerRun::State::kTerminated) {
    SetInt(inner, "exitCode", c.exit_code, alloc);
    SetString(inner, "reason", c.reason, alloc);
    SetString(inner, "startedAt", c.started_at, alloc);
    SetString(inner, "finishedAt", c.finished_at, alloc);
    SetString(inner, "containerID", ContainerId(uid, c), alloc);
    Set(state, "terminated", inner, alloc);
  } else {
    SetString(inner, "reason", c.reason, alloc);
    if (c.reason == "CrashLoopBackOff") {
      SetString(inner, "message",
                "back-off 10s restarting failed container=" + c.name + " pod=" + uid, alloc);
    } else if (c.reason == "ErrImagePull" || c.reason == "ImagePullBackOff") {
      SetString(inner, "message", "Back-off pulling image \"" + c.image + "\"", alloc);
    }
    Set(state, "waiting", inner, alloc);
  }
  Set(s, "state", state, alloc);
  Json last(rapidjson::kObjectType);
  if (c.last_exit_code >= 0) {
    Json t(rapidjson::kObjectType);
    SetInt(t, "exitCode", c.last_exit_code, alloc);
    SetString(t, "reason", c.last_reason, alloc);
    SetString(t, "startedAt", c.last_started_at, alloc);
    SetString(t, "finishedAt", c.last_finished_at, alloc);
    Set(last, "terminated", t, alloc);
  }
  Set(s, "lastState", last, alloc);
  Set(s, "ready", Json(c.ready), alloc);
  SetInt(s, "restartCount", c.restarts, alloc);
  SetString(s, "image", NormalizeImage(c.image), alloc);
  SetString(s, "imageID", started_once ? ImageId(c.image) : "", alloc);
  if (started_once) SetString(s, "containerID", ContainerId(uid, c), alloc);
  Set(s, "started", Json(c.state == ContainerRun::State::kRunning), alloc);
  return s;
}

std::string Names(const std::vector<ContainerRun>& list, bool (*pick)(const ContainerRun&)) {
  std::string out;
  for (const auto& c : list) {
    if (pick(c)) out += (out.empty() ? "" : " ") + c.name;
  }
  return out;
}

bool ShouldRestart(const PodRun& run, const ContainerRun& c) {
  return run.restart_policy == "Always" || (run.restart_policy == "OnFailure" && c.exit_code != 0);
}

}  // namespace

void Cluster::Later(std::chrono::milliseconds delay, const PodRun& run,
                    void (Cluster::*step)(PodRun& run)) {
  timers_.After(delay, [this, key = ObjectKey(run.ns, run.name), uid = run.uid, step] {
    auto it = pods_.find(key);
    if (it != pods_.end() && it->second.uid == uid) (this->*step)(it->second);
  });
}

void Cluster::OnPodEvent(const Event& event) {
  const Json& m = *Member(*event.object, "metadata");
  std::string uid = Str(m, "uid");
  auto it = pods_.find(event.key);
  if (event.type == EventType::kDeleted) {
    if (it != pods_.end() && it->second.uid == uid) pods_.erase(it);
    logs_.Forget(uid);  // attached clients' sessions end with the log
    KillProcesses(uid, "");
    RetryUnschedulable();  // its node has room again
    // The containers are gone: so are connections to their ports (port-forwards end).
    if (workload_ports_ != nullptr) {
      workload_ports_->ClosePod(uid, "read: connection reset by peer (the pod was deleted)");
    }
    return;
  }
  std::string phase = Str(*Member(*event.object, "status"), "phase");
  if (phase == "Succeeded" || phase == "Failed") RetryUnschedulable();
  if (it != pods_.end() && it->second.uid == uid) return;
  if (phase == "Succeeded" || phase == "Failed") return;  // finished before a restart
  PodRun run;
  run.ns = Str(m, "namespace");
  run.name = Str(m, "name");
  run.uid = uid;
  run.init = Containers(*event.object, "spec.initContainers");
  run.main = Containers(*event.object, "spec.containers");
  if (const Json* policy = AtPath(*event.object, "spec.restartPolicy")) {
    run.restart_policy = std::string(StrView(*policy));
  }
  PodRun& stored = pods_[event.key] = std::move(run);
  Later(std::chrono::milliseconds(0), stored, &Cluster::SchedulePod);
}

void Cluster::SchedulePod(PodRun& run) {
  if (!run.node.empty()) return;  // placed already (a retry raced the first attempt)
  std::string path = "/api/v1/namespaces/" + run.ns + "/pods/" + run.name;
  ObjectPtr pod = api_.store().Get("/pods", ObjectKey(run.ns, run.name));
  if (pod == nullptr) return;
  std::vector<ObjectPtr> nodes;
  api_.store().Scan("/nodes", "", "", 0, [&](const std::string&, const ObjectPtr& node) {
    nodes.push_back(node);
    return true;
  });
  run.node = Str(*Member(*pod, "spec"), "nodeName");
  if (run.node.empty() && !nodes.empty()) {
    Placement placement = PlaceOnNode(*pod, nodes);
    if (placement.node.empty()) {
      MarkUnschedulable(run, *pod, placement.message);
      return;
    }
    next_node_ = static_cast<int>(placement.index) + 1;
    run.node = placement.node;
    rapidjson::Document bound = Clone(*pod);
    SetString(Child(bound, "spec", bound.GetAllocator()), "nodeName", run.node,
              bound.GetAllocator());
    if (Call("PUT", path, Dump(bound)).code >= 300) return;
    Record(*pod, "Normal", "Scheduled",
           "Successfully assigned " + run.ns + "/" + run.name + " to " + run.node, "",
           "default-scheduler");
  }
  run.host_ip = "10.0.0." + std::to_string(nodes.empty() ? 1 : 1 + (next_node_ - 1) % 3);
  run.pod_ip = "10.244." + std::to_string(next_ip_ / 250) + "." + std::to_string(next_ip_ % 250);
  ++next_ip_;
  SetPodCondition(run, "PodScheduled", true);
  SetPodCondition(run, "PodReadyToStartContainers", false);
  SetPodCondition(run, "Initialized", run.init.empty());
  SetPodCondition(run, "Ready", false);
  SetPodCondition(run, "ContainersReady", false);
  WritePodStatus(run);
  Later(config_.pod_ready_delay / 4, run, &Cluster::StartPod);
}

void Cluster::StartContainer(PodRun& run, ContainerRun& c) {
  ObjectPtr pod = api_.store().Get("/pods", ObjectKey(run.ns, run.name));
  std::string field = "spec.containers{" + c.name + "}";
  if (pod) {
    Record(*pod, "Normal", "Pulled",
           "Container image \"" + c.image + "\" already present on machine", field);
    Record(*pod, "Normal", "Created", "Created container: " + c.name, field);
    Record(*pod, "Normal", "Started", "Started container " + c.name, field);
  }
  c.state = ContainerRun::State::kRunning;
  c.started_at = Now();
  c.reason.clear();
  const auto& lines = c.behaviour.log_lines;
  // A job writes its last line when it exits; everything else writes all at start.
  size_t now_lines =
      c.behaviour.program == Program::kJob && !lines.empty() ? lines.size() - 1 : lines.size();
  for (size_t i = 0; i < now_lines; ++i) {
    logs_.Append(run.uid, c.name, c.restarts, {config_.clock(), lines[i]});
  }
  if (c.behaviour.generated_bytes > 0) {
    TimePoint now = config_.clock();
    GenerateLogLines(c.behaviour.generated_bytes, [&](std::string text) {
      logs_.Append(run.uid, c.name, c.restarts, {now, std::move(text)});
    });
  }
}

void Cluster::TerminateContainer(PodRun& run, ContainerRun& c, int exit_code) {
  const auto& lines = c.behaviour.log_lines;
  if (c.behaviour.program == Program::kJob && !lines.empty()) {
    logs_.Append(run.uid, c.name, c.restarts, {config_.clock(), lines.back()});
  }
  c.state = ContainerRun::State::kTerminated;
  c.exit_code = exit_code;
  c.reason = exit_code == 0 ? "Completed" : "Error";
  c.finished_at = Now();
  c.ready = false;
  logs_.Finish(run.uid, c.name, c.restarts);
  KillProcesses(run.uid, c.name);
}

void Cluster::StartPod(PodRun& run) {
  for (auto& c : run.init) {
    StartContainer(run, c);
    TerminateContainer(run, c, 0);
  }
  SetPodCondition(run, "Initialized", true);
  SetPodCondition(run, "PodReadyToStartContainers", true);
  ObjectPtr pod = api_.store().Get("/pods", ObjectKey(run.ns, run.name));
  for (auto& c : run.main) {
    if (c.behaviour.program == Program::kPullFail) {
      c.reason = "ErrImagePull";
      std::string field = "spec.containers{" + c.name + "}";
      if (pod) {
        Record(*pod, "Normal", "Pulling", "Pulling image \"" + c.image + "\"", field);
        Record(*pod, "Warning", "Failed",
               "Failed to pull image \"" + c.image + "\": rpc error: code = NotFound desc = " +
                   "failed to pull and unpack image \"" + NormalizeImage(c.image) + "\": not found",
               field);
      }
      continue;
    }
    StartContainer(run, c);
  }
  run.start_time = Now();
  bool running = std::any_of(run.main.begin(), run.main.end(), [](const ContainerRun& c) {
    return c.state == ContainerRun::State::kRunning;
  });
  if (running) run.phase = "Running";
  WritePodStatus(run);
  Later(config_.pod_ready_delay, run, &Cluster::AdvancePod);
}

void Cluster::AdvancePod(PodRun& run) {
  bool restart_pending = false;
  for (size_t i = 0; i < run.main.size(); ++i) {
    ContainerRun& c = run.main[i];
    Program program = c.behaviour.program;
    if (program == Program::kPullFail) {
      c.reason = "ImagePullBackOff";
      continue;
    }
    if (c.state != ContainerRun::State::kRunning) continue;
    if (program == Program::kServer) c.ready = true;
    if (program == Program::kJob || program == Program::kCrashLoop) {
      TerminateContainer(run, c, program == Program::kCrashLoop ? 1 : c.behaviour.exit_code);
    }
    if (c.state == ContainerRun::State::kTerminated && ShouldRestart(run, c)) {
      c.last_exit_code = c.exit_code;
      c.last_reason = c.reason;
      c.last_started_at = c.started_at;
      c.last_finished_at = c.finished_at;
      c.state = ContainerRun::State::kWaiting;
      c.reason = "CrashLoopBackOff";
      restart_pending = true;
      int backoff = 1 << std::min(c.restarts, 4);
      timers_.After(config_.pod_ready_delay * backoff,
                    [this, key = ObjectKey(run.ns, run.name), uid = run.uid, i] {
                      auto it = pods_.find(key);
                      if (it != pods_.end() && it->second.uid == uid)
                        RestartContainer(it->second, i);
                    });
    }
  }
  bool all_done = !restart_pending && !run.main.empty() &&
                  std::all_of(run.main.begin(), run.main.end(), [](const ContainerRun& c) {
                    return c.state == ContainerRun::State::kTerminated;
                  });
  if (all_done) {
    bool ok = std::all_of(run.main.begin(), run.main.end(),
                          [](const ContainerRun& c) { return c.exit_code == 0; });
    run.phase = ok ? "Succeeded" : "Failed";
    SetPodCondition(run, "PodReadyToStartContainers", false);
  }
  WritePodStatus(run);
}

void Cluster::RestartContainer(PodRun& run, size_t index) {
  ContainerRun& c = run.main[index];
  ++c.restarts;
  StartContainer(run, c);
  WritePodStatus(run);
  Later(config_.pod_ready_delay, run, &Cluster::AdvancePod);
}

void Cluster::SetPodCondition(PodRun& run, const std::string& type, bool status) {
  std::string value = status ? "True" : "False";
  auto it = run.conditions.find(type);
  if (it != run.conditions.end() && it->second.first == value) return;
  run.conditions[type] = {value, Now()};
}

void Cluster::WritePodStatus(PodRun& run) {
  ObjectPtr pod = api_.store().Get("/pods", ObjectKey(run.ns, run.name));
  if (pod == nullptr || Str(*Member(*pod, "metadata"), "uid") != run.uid) return;
  bool ready = !run.main.empty() && std::all_of(run.main.begin(), run.main.end(),
                                                [](const ContainerRun& c) { return c.ready; });
  SetPodCondition(run, "ContainersReady", ready);
  SetPodCondition(run, "Ready", ready);
  rapidjson::Document object = Clone(*pod);
  Alloc& alloc = object.GetAllocator();
  Json status(rapidjson::kObjectType);
  SetString(status, "phase", run.phase, alloc);
  Json conditions(rapidjson::kArrayType);
  bool finished = run.phase == "Succeeded" || run.phase == "Failed";
  for (const char* type :
       {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
    auto it = run.conditions.find(type);
    if (it == run.conditions.end()) continue;
    Json c(rapidjson::kObjectType);
    SetString(c, "type", type, alloc);
    SetString(c, "status", it->second.first, alloc);
    Set(c, "lastProbeTime", Json(), alloc);
    SetString(c, "lastTransitionTime", it->second.second, alloc);
    std::string t = type;
    if (it->second.first == "False" && (t == "Ready" || t == "ContainersReady")) {
      std::string unready = Names(run.main, [](const ContainerRun& x) { return !x.ready; });
      SetString(c, "reason", finished ? "PodCompleted" : "ContainersNotReady", alloc);
      if (!finished) {
        SetString(c, "message", "containers with unready status: [" + unready + "]", alloc);
      }
    } else if (it->second.first == "False" && t == "Initialized") {
      SetString(c, "reason", "ContainersNotInitialized", alloc);
      SetString(c, "message",
                "containers with incomplete status: [" +
                    Names(run.init, [](const ContainerRun&) { return true; }) + "]",
                alloc);
    }
    conditions.PushBack(c, alloc);
  }
  Set(status, "conditions", conditions, alloc);
  SetString(status, "hostIP", run.host_ip, alloc);
  if (!run.start_time.empty()) {
    SetString(status, "podIP", run.pod_ip, alloc);
    Json ips(rapidjson::kArrayType);
    Json ip(rapidjson::kObjectType);
    SetString(ip, "ip", run.pod_ip, alloc);
    ips.PushBack(ip, alloc);
    Set(status, "podIPs", ips, alloc);
    SetString(status, "startTime", run.start_time, alloc);
  }
  for (const auto& [field, list] :
       {std::pair{"initContainerStatuses", &run.init}, std::pair{"containerStatuses", &run.main}}) {
    if (list->empty()) continue;
    Json statuses(rapidjson::kArrayType);
    for (const auto& c : *list) statuses.PushBack(ContainerStatus(run.uid, c, alloc), alloc);
    Set(status, field, statuses, alloc);
  }
  SetString(status, "qosClass", "BestEffort", alloc);
  Set(object, "status", status, alloc);
  PutStatus("/api/v1/namespaces/" + run.ns + "/pods/" + run.name, object);
}

}  // namespace sandbox::sim
