#include "tests/sandbox/job_defaults.h"

namespace sandbox {

void DefaultJob(rapidjson::Document& job) {
  Alloc& alloc = job.GetAllocator();
  const Json& metadata = *Member(job, "metadata");
  std::string uid = Str(metadata, "uid");
  std::string name = Str(metadata, "name");
  Json& spec = Child(job, "spec", alloc);
  const Json* manual = Member(spec, "manualSelector");
  if (manual == nullptr || !manual->IsTrue()) {
    Json selector(rapidjson::kObjectType);
    SetString(Child(selector, "matchLabels", alloc), "batch.kubernetes.io/controller-uid", uid,
              alloc);
    Set(spec, "selector", selector, alloc);
    Json& labels = Child(Child(Child(spec, "template", alloc), "metadata", alloc), "labels", alloc);
    SetString(labels, "batch.kubernetes.io/controller-uid", uid, alloc);
    SetString(labels, "batch.kubernetes.io/job-name", name, alloc);
    SetString(labels, "controller-uid", uid, alloc);
    SetString(labels, "job-name", name, alloc);
  }
}

}  // namespace sandbox
