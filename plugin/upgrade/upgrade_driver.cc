#include "plugin/upgrade/upgrade_driver.h"

#include <mutex>

#include "core/json.h"
#include "core/mattermost/deployment.h"
#include "core/mattermost/labels.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/update_job.h"
#include "plugin/engine/engine.h"
#include "plugin/engine/live_view.h"
#include "plugin/logs/pod_log_streams.h"

namespace mm {
namespace {

using SteadyClock = std::chrono::steady_clock;

enum Source : size_t { kMattermost, kDeployment, kReplicaSets, kJob, kJobPods };

const kubeapi::ResourceMapping& Builtin(const char* api_version, const char* kind) {
  return *kubeapi::BuiltinMapping(api_version, kind);
}

std::string ByName(const std::string& name) { return "metadata.name=" + name; }

std::vector<engine::WatchSource> Sources(const kubeapi::ResourceMapping& mattermosts,
                                         const UpgradeRun& run) {
  const std::string& ns = run.namespace_name;
  return {
      {mattermosts, ns, {.field_selector = ByName(run.name)}},
      {Builtin("apps/v1", "Deployment"), ns, {.field_selector = ByName(run.name)}},
      {Builtin("apps/v1", "ReplicaSet"),
       ns,
       {.label_selector = std::string("app=mattermost,") + kInstallationLabel + "=" + run.name}},
      {Builtin("batch/v1", "Job"), ns, {.field_selector = ByName(kUpdateJobName)}},
      {Builtin("v1", "Pod"), ns, {.label_selector = std::string("job-name=") + kUpdateJobName}},
  };
}

std::string Uid(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  return metadata ? GetString(*metadata, "uid") : "";
}

bool OwnedByUid(const rapidjson::Value& object, const std::string& uid) {
  const rapidjson::Value* owners = FindPath(object, {"metadata", "ownerReferences"});
  if (owners == nullptr || !owners->IsArray()) return false;
  for (const rapidjson::Value& owner : owners->GetArray()) {
    if (GetString(owner, "uid") == uid) return true;
  }
  return false;
}

// The live objects of one reading; the observation points into them.
struct Snapshot {
  std::vector<rapidjson::Document> mattermosts, deployments, replica_sets, jobs, pods;
  rapidjson::Document failed_job;
  UpgradeObservation observed;
};

class UpgradeFollower {
 public:
  UpgradeFollower(kubeapi::Client& client, const kubeapi::ResourceMapping& mattermosts,
                  const UpgradeRun& run, UpgradePrinter& printer)
      : client_(client),
        run_(run),
        printer_(printer),
        view_(client.rest(), Sources(mattermosts, run)),
        logs_(
            client.rest(), run.namespace_name, {.container = kAppContainerName, .follow = true},
            [this](const std::string&, const std::string&, std::string_view line) {
              printer_.JobLine(line);
            },
            [this] { view_.Poke(); }) {}

  Result<UpgradeProgress> Run() {
    MM_RETURN_IF_ERROR(DeleteFailedJob());
    view_.SetEventHook([this](size_t source, const kubeapi::WatchEvent& event) {
      if (source != kJob || event.type == kubeapi::WatchEventType::kDeleted ||
          ReadUpdateJob(event.object, run_.target_image) != UpdateJobState::kFailed) {
        return;
      }
      std::lock_guard<std::mutex> lock(failed_mutex_);
      failed_job_.CopyFrom(event.object, failed_job_.GetAllocator());
    });
    view_.Start();
    uint64_t seen = 0;
    bool changed = true;
    while (true) {
      uint64_t version = view_.WaitForChange(seen, std::chrono::milliseconds(200));
      changed = changed || version != seen;
      seen = version;
      if (auto failure = view_.failure()) return *failure;
      if (run_.cancel != nullptr && run_.cancel->IsCancelled()) return Interrupted();
      if (!view_.Synced()) continue;
      Snapshot snapshot;
      Read(snapshot);
      progress_ = ReadUpgradeProgress(snapshot.observed, run_.target_image);
      for (const rapidjson::Value* pod : snapshot.observed.job_pods) logs_.Offer(*pod, true);
      printer_.Progress(progress_);
      if (progress_.step == UpgradeStep::kJobFailed) return Failed(seen);
      if (progress_.step == UpgradeStep::kStable) {
        MM_RETURN_IF_ERROR(CleanUp(snapshot));
        return progress_;
      }
      if (kubeapi::RealClock().Now() >= run_.deadline) return Timeout();
      if (run_.client_mode && PassDue(changed)) {
        changed = false;
        auto pass = engine::ReconcileOnce(client_, run_.namespace_name, run_.name, {});
        last_pass_ = SteadyClock::now();
        if (!pass) return std::move(pass).error();
        if (pass->plan.error == kUpdateJobFailedError) {
          // The pass saw the failure first (and deleted the job, as the operator does).
          progress_.step = UpgradeStep::kJobFailed;
          progress_.failure = pass->plan.error;
          printer_.Progress({.step = UpgradeStep::kJobFailed, .detail = "update job failed"});
          return Failed(seen);
        }
        if (!pass->plan.error.empty()) return Error::Invalid(pass->plan.error);
      }
    }
  }

 private:
  // A job that failed for this very image (a re-run after a failure) is deleted so that a new
  // one runs: the operator would otherwise wait on it forever (its completionTime never comes).
  Result<void> DeleteFailedJob() {
    const auto& jobs = Builtin("batch/v1", "Job");
    auto job = client_.rest().Get(jobs, run_.namespace_name, kUpdateJobName);
    if (!job) return IsNotFound(job.error()) ? Result<void>() : std::move(job).error();
    if (ReadUpdateJob(*job, run_.target_image) != UpdateJobState::kFailed) return {};
    auto deleted = client_.rest().Delete(jobs, run_.namespace_name, kUpdateJobName,
                                         {.propagation_policy = "Background"});
    if (!deleted && !IsNotFound(deleted.error())) return std::move(deleted).error();
    printer_.Note("deleted the failed update job of the last attempt; starting a new one");
    return {};
  }

  void Read(Snapshot& snapshot) {
    snapshot.mattermosts = view_.Objects(kMattermost);
    snapshot.deployments = view_.Objects(kDeployment);
    snapshot.replica_sets = view_.Objects(kReplicaSets);
    snapshot.jobs = view_.Objects(kJob);
    snapshot.pods = view_.Objects(kJobPods);
    UpgradeObservation& observed = snapshot.observed;
    observed.mattermost = engine::FindNamed(snapshot.mattermosts, run_.name);
    observed.deployment = engine::FindNamed(snapshot.deployments, run_.name);
    observed.job = engine::FindNamed(snapshot.jobs, kUpdateJobName);
    {
      // An operator deletes a failed job at once: the failure seen in passing still counts.
      std::lock_guard<std::mutex> lock(failed_mutex_);
      if (failed_job_.IsObject()) {
        snapshot.failed_job.CopyFrom(failed_job_, snapshot.failed_job.GetAllocator());
        observed.job = &snapshot.failed_job;
      }
    }
    for (const rapidjson::Document& set : snapshot.replica_sets)
      observed.replica_sets.push_back(&set);
    std::string job_uid = observed.job ? Uid(*observed.job) : "";
    for (const rapidjson::Document& pod : snapshot.pods) {
      if (!job_uid.empty() && OwnedByUid(pod, job_uid)) observed.job_pods.push_back(&pod);
    }
  }

  // Client mode runs a pass when something changed or a second passed, except while the job
  // runs: then only the job's own change matters, and a pass could delete a job that just failed.
  bool PassDue(bool changed) const {
    if (progress_.step == UpgradeStep::kJobCreated || progress_.step == UpgradeStep::kJobRunning) {
      return false;
    }
    return changed || SteadyClock::now() - last_pass_ >= std::chrono::seconds(1);
  }

  // Lets the failed job's log streams end (its containers have exited) so the tail is complete.
  // Client mode records the failure in status.error as the operator's pass does (when the watch
  // saw the job fail before a pass did; after a pass it is already there).
  Result<UpgradeProgress> Failed(uint64_t seen) {
    if (run_.client_mode) {
      auto recorded = engine::RecordReconcileError(client_, run_.namespace_name, run_.name,
                                                   kUpdateJobFailedError);
      if (!recorded) return std::move(recorded).error();
    }
    auto until = SteadyClock::now() + std::chrono::seconds(5);
    while (logs_.Active() > 0 && SteadyClock::now() < until) {
      seen = view_.WaitForChange(seen, std::chrono::milliseconds(100));
    }
    return progress_;
  }

  // Client mode, once stable: an update job left from an earlier attempt (failed, or for another
  // image) is deleted, as the operator deletes finished jobs.
  Result<void> CleanUp(const Snapshot& snapshot) {
    const rapidjson::Value* job = snapshot.observed.job;
    if (!run_.client_mode || job == nullptr ||
        ReadUpdateJob(*job, run_.target_image) == UpdateJobState::kRunning) {
      return {};
    }
    auto deleted = client_.rest().Delete(Builtin("batch/v1", "Job"), run_.namespace_name,
                                         kUpdateJobName, {.propagation_policy = "Background"});
    if (!deleted && !IsNotFound(deleted.error())) return std::move(deleted).error();
    return {};
  }

  Error Timeout() const {
    return Error::Timeout("timed out after " + run_.timeout_text + " waiting for Mattermost " +
                          run_.namespace_name + "/" + run_.name + " to run " + run_.target_image +
                          ": still pending: " + progress_.detail);
  }

  Error Interrupted() const {
    if (run_.client_mode) {
      return Error::Interrupted("interrupted at a safe point (" + progress_.detail +
                                "); run the same command again to resume the upgrade");
    }
    return Error::Interrupted("interrupted (" + progress_.detail +
                              "); the operator continues the upgrade: 'kubectl mattermost status " +
                              run_.name + " -n " + run_.namespace_name + "' follows it");
  }

  kubeapi::Client& client_;
  const UpgradeRun& run_;
  UpgradePrinter& printer_;
  // Declared before the view: its threads call the hook that writes them until it is destroyed.
  std::mutex failed_mutex_;
  rapidjson::Document failed_job_;  // a failed job for the target image, seen in an event
  engine::LiveView view_;
  PodLogStreams logs_;
  UpgradeProgress progress_;
  SteadyClock::time_point last_pass_{};
};

}  // namespace

Result<UpgradeProgress> FollowUpgrade(kubeapi::Client& client, const UpgradeRun& run,
                                      UpgradePrinter& printer) {
  auto mapping = client.mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  return UpgradeFollower(client, *mapping, run, printer).Run();
}

}  // namespace mm
