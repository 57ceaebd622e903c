// The job controller: runs pods until `completions` succeed or more than `backoffLimit` fail, and
// reports it as kube-controller-manager 1.32 does (SuccessCriteriaMet/Complete,
// FailureTarget/Failed); a job with `spec.suspend` runs no pods until it is resumed.
#include "tests/sandbox/sim/cluster.h"
#include "tests/sandbox/sim/rollout.h"

namespace sandbox::sim {
namespace {

bool Finished(const Json& job) {
  for (const char* type : {"Complete", "Failed"}) {
    const Json* c = FindCondition(job, type);
    if (c != nullptr && Str(*c, "status") == "True") return true;
  }
  return false;
}

bool Suspended(const Json& job) {
  const Json* suspend = AtPath(job, "spec.suspend");
  return suspend != nullptr && suspend->IsBool() && suspend->GetBool();
}

// The Suspended condition as the job controller keeps it: True (JobSuspended) while
// spec.suspend is set, False (JobResumed) once it is cleared, none if the job was never
// suspended; a resumed job's startTime restarts. Returns the event to record ("Suspended",
// "Resumed") when the condition changed, else "".
std::string SyncSuspension(bool suspended, Json& status, Json& conditions, const std::string& now,
                           Alloc& alloc) {
  const std::vector<std::string> times = {"lastProbeTime", "lastTransitionTime"};
  if (suspended) {
    bool changed = SetCondition(conditions, {"Suspended", "True", "JobSuspended", "Job suspended"},
                                now, times, alloc);
    return changed ? "Suspended" : "";
  }
  const Json* condition = nullptr;
  for (const Json& c : conditions.GetArray()) {
    if (Str(c, "type") == "Suspended") condition = &c;
  }
  if (condition == nullptr || Str(*condition, "status") != "True") return "";
  SetCondition(conditions, {"Suspended", "False", "JobResumed", "Job resumed"}, now, times, alloc);
  SetString(status, "startTime", now, alloc);
  return "Resumed";
}

}  // namespace

bool Cluster::ReplacementDue(const std::string& uid, int failed, const std::string& key) {
  if (failed == 0) return true;
  JobBackoff& backoff = job_backoff_[uid];
  if (failed > backoff.failures) {
    // kube-controller-manager waits 10 s, doubling per failure up to 6 min; here a quarter of
    // the pod delay, doubling up to 16 times that, so tests stay fast.
    backoff.failures = failed;
    backoff.not_before =
        config_.clock() + config_.pod_ready_delay / 4 * (1 << std::min(failed - 1, 4));
  }
  auto wait =
      std::chrono::duration_cast<std::chrono::milliseconds>(backoff.not_before - config_.clock());
  if (wait.count() <= 0) return true;
  timers_.After(wait, [this, key] { Enqueue("job", key); });
  return false;
}

void Cluster::SyncJob(const std::string& key) {
  ObjectPtr job = api_.store().Get("batch/jobs", key);
  if (job == nullptr || AtPath(*job, "metadata.deletionTimestamp") != nullptr || Finished(*job)) {
    if (job != nullptr) job_backoff_.erase(Str(*Member(*job, "metadata"), "uid"));
    return;
  }
  const Json& m = *Member(*job, "metadata");
  std::string ns = Str(m, "namespace");
  std::string name = Str(m, "name");
  std::string uid = Str(m, "uid");
  std::string pods_path = "/api/v1/namespaces/" + ns + "/pods";
  int active = 0, ready = 0, succeeded = 0, failed = 0;
  std::vector<std::string> active_names;
  for (const auto& pod : Owned("/pods", ns, uid)) {
    std::string phase = Str(*Member(*pod, "status"), "phase");
    if (phase == "Succeeded") {
      ++succeeded;
    } else if (phase == "Failed") {
      ++failed;
    } else if (AtPath(*pod, "metadata.deletionTimestamp") == nullptr) {
      ++active;
      ready += PodReady(*pod) ? 1 : 0;
      active_names.push_back(Str(*Member(*pod, "metadata"), "name"));
    }
  }
  int completions = IntAt(*job, "spec.completions", 1);
  int parallelism = IntAt(*job, "spec.parallelism", 1);
  int backoff_limit = IntAt(*job, "spec.backoffLimit", 6);
  std::string now = Now();
  rapidjson::Document object = Clone(*job);
  Alloc& alloc = object.GetAllocator();
  Json& status = Child(object, "status", alloc);
  std::string before = Dump(status);
  if (const Json* kept = Member(status, "conditions"); kept == nullptr || !kept->IsArray()) {
    Set(status, "conditions", Json(rapidjson::kArrayType), alloc);
  }
  Json& conditions = *MutableMember(status, "conditions");  // kept: Suspended may be there
  const std::vector<std::string> times = {"lastProbeTime", "lastTransitionTime"};
  bool suspended = Suspended(*job);
  if (std::string event = SyncSuspension(suspended, status, conditions, now, alloc);
      !event.empty()) {
    Record(*job, "Normal", event, "Job " + std::string(suspended ? "suspended" : "resumed"));
  }
  if (!suspended && !Member(status, "startTime")) SetString(status, "startTime", now, alloc);
  if (suspended) {
    for (const auto& pod_name : active_names) Call("DELETE", pods_path + "/" + pod_name, "");
    active = ready = 0;
  } else if (succeeded >= completions) {
    const Condition done{"Complete", "True", "CompletionsReached",
                         "Reached expected number of succeeded pods"};
    SetCondition(conditions, {"SuccessCriteriaMet", done.status, done.reason, done.message}, now,
                 times, alloc);
    SetCondition(conditions, done, now, times, alloc);
    SetString(status, "completionTime", now, alloc);
    Record(*job, "Normal", "Completed", "Job completed");
  } else if (failed > backoff_limit) {
    for (const auto& pod_name : active_names) Call("DELETE", pods_path + "/" + pod_name, "");
    active = ready = 0;
    const Condition fail{"Failed", "True", "BackoffLimitExceeded",
                         "Job has reached the specified backoff limit"};
    SetCondition(conditions, {"FailureTarget", fail.status, fail.reason, fail.message}, now, times,
                 alloc);
    SetCondition(conditions, fail, now, times, alloc);
    Record(*job, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
  } else if (!ReplacementDue(uid, failed, key)) {
    // A failed pod is replaced after a back-off, as the job controller does.
  } else {
    rapidjson::Document labels(rapidjson::kObjectType);
    Alloc& la = labels.GetAllocator();
    SetString(labels, "batch.kubernetes.io/controller-uid", uid, la);
    SetString(labels, "batch.kubernetes.io/job-name", name, la);
    SetString(labels, "controller-uid", uid, la);
    SetString(labels, "job-name", name, la);
    for (int i = active; i < std::min(parallelism, completions - succeeded); ++i) {
      std::string pod_name = name + "-" + RandomSuffix();
      if (Create(pods_path, PodFromTemplate(*job, pod_name, &labels))) {
        Record(*job, "Normal", "SuccessfulCreate", "Created pod: " + pod_name);
        ++active;
      }
    }
  }
  if (conditions.Empty()) Remove(status, "conditions");
  auto set_count = [&](const char* field, int value, bool always) {
    if (value != 0 || always) {
      SetInt(status, field, value, alloc);
    } else {
      Remove(status, field);
    }
  };
  set_count("active", active, false);
  set_count("ready", ready, true);
  set_count("succeeded", succeeded, false);
  set_count("failed", failed, false);
  set_count("terminating", 0, true);
  Child(status, "uncountedTerminatedPods", alloc);
  if (Dump(status) == before) return;
  PutStatus("/apis/batch/v1/namespaces/" + ns + "/jobs/" + name, object);
}

}  // namespace sandbox::sim
