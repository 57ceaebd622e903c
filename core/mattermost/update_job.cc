#include "core/mattermost/update_job.h"

#include "core/json.h"
#include "core/json_builder.h"
#include "core/mattermost/deployment.h"
#include "core/mattermost/labels.h"

namespace mm {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

const rapidjson::Value* PodSpec(const rapidjson::Value& workload) {
  const rapidjson::Value* spec = FindMember(workload, "spec");
  const rapidjson::Value* tmpl = spec ? FindMember(*spec, "template") : nullptr;
  return tmpl ? FindMember(*tmpl, "spec") : nullptr;
}

bool ConditionTrue(const rapidjson::Value& job, const char* type) {
  const rapidjson::Value* status = FindMember(job, "status");
  const rapidjson::Value* conditions = status ? FindMember(*status, "conditions") : nullptr;
  if (conditions == nullptr || !conditions->IsArray()) return false;
  for (const rapidjson::Value& condition : conditions->GetArray()) {
    if (GetString(condition, "type") == type && GetString(condition, "status") == "True") {
      return true;
    }
  }
  return false;
}

// The desired pod spec turned into the update Job's (§5).
rapidjson::Value JobPodSpec(const rapidjson::Value& desired_deployment, Allocator& allocator) {
  rapidjson::Value spec(rapidjson::kObjectType);
  if (const rapidjson::Value* pod = PodSpec(desired_deployment)) spec.CopyFrom(*pod, allocator);
  auto init = spec.FindMember("initContainers");
  if (init != spec.MemberEnd() && init->value.IsArray()) {
    auto& list = init->value;
    for (auto it = list.Begin(); it != list.End();) {
      it = GetString(*it, "name") == "init-wait-for-db-setup" ? list.Erase(it) : it + 1;
    }
  }
  auto containers = spec.FindMember("containers");
  if (containers != spec.MemberEnd() && containers->value.IsArray()) {
    for (rapidjson::Value& container : containers->value.GetArray()) {
      if (GetString(container, "name") != kAppContainerName) continue;
      container.RemoveMember("livenessProbe");
      container.RemoveMember("readinessProbe");
      SetMember(container, "args", Json::Array({"db", "migrate"}).Build(allocator), allocator);
    }
  }
  SetMember(spec, "restartPolicy", JsonString("Never", allocator), allocator);
  return spec;
}

}  // namespace

Result<std::string> AppContainerImage(const rapidjson::Value& workload) {
  const rapidjson::Value* pod = PodSpec(workload);
  const rapidjson::Value* containers = pod ? FindMember(*pod, "containers") : nullptr;
  if (containers != nullptr && containers->IsArray()) {
    for (const rapidjson::Value& container : containers->GetArray()) {
      if (GetString(container, "name") == kAppContainerName) return GetString(container, "image");
    }
  }
  return Error::Invalid("failed to get mattermost container from " + GetString(workload, "kind"));
}

Result<bool> UpdateJobNeeded(const Mattermost& mattermost,
                             const rapidjson::Value& desired_deployment,
                             const rapidjson::Value& live_deployment) {
  auto desired = AppContainerImage(desired_deployment);
  if (!desired) return std::move(desired).error();
  auto live = AppContainerImage(live_deployment);
  if (!live) return std::move(live).error();
  return *desired != *live && !mattermost.spec.update_job_disabled;
}

rapidjson::Document BuildUpdateJob(const Mattermost& mattermost,
                                   const rapidjson::Value& desired_deployment) {
  StringMap labels = mattermost.spec.update_job_extra_labels;
  labels["app"] = kUpdateJobName;
  const StringMap& annotations = mattermost.spec.update_job_extra_annotations;
  rapidjson::Document job =
      Json::Object(
          {{"apiVersion", "batch/v1"},
           {"kind", "Job"},
           {"metadata", ChildMetadata(mattermost, kUpdateJobName, {})},
           {"spec",
            Json::Object(
                {{"backoffLimit", 10},
                 {"template",
                  Json::Object({{"metadata",
                                 Json::Object({{"labels", Json::StringMap(labels)},
                                               {"annotations",
                                                Json::If(!annotations.empty(),
                                                         Json::StringMap(annotations))}})}})}})}})
          .BuildDocument();
  SetMember(job["spec"]["template"], "spec", JobPodSpec(desired_deployment, job.GetAllocator()),
            job.GetAllocator());
  return job;
}

UpdateJobState ReadUpdateJob(const rapidjson::Value& job, const std::string& desired_image) {
  auto image = AppContainerImage(job);
  if (!image || *image != desired_image) return UpdateJobState::kOutdated;
  if (ConditionTrue(job, "Failed")) return UpdateJobState::kFailed;
  const rapidjson::Value* status = FindMember(job, "status");
  const rapidjson::Value* completion = status ? FindMember(*status, "completionTime") : nullptr;
  bool completed = completion != nullptr && !completion->IsNull();
  if (ConditionTrue(job, "Complete") || completed) return UpdateJobState::kSucceeded;
  return UpdateJobState::kRunning;
}

}  // namespace mm
