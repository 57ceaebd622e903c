#include "plugin/engine/engine.h"

#include <random>

#include "core/json.h"
#include "core/json_builder.h"
#include "core/json_diff.h"
#include "core/mattermost/children.h"
#include "core/mattermost/defaults.h"
#include "core/mattermost/parse.h"
#include "plugin/engine/cluster_facts.h"
#include "plugin/engine/execute.h"
#include "plugin/engine/observe.h"

namespace mm::engine {
namespace {

std::shared_ptr<const rapidjson::Document> Share(rapidjson::Document document) {
  return std::make_shared<const rapidjson::Document>(std::move(document));
}

rapidjson::Document Copy(const rapidjson::Value& value) {
  rapidjson::Document copy;
  copy.CopyFrom(value, copy.GetAllocator());
  return copy;
}

const rapidjson::Value& SpecOf(const rapidjson::Value& object) {
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  const rapidjson::Value* spec = FindMember(object, "spec");
  return spec != nullptr ? *spec : kEmpty;
}

// Writes `status` through the status subresource (a full PUT of the object read, as the
// operator's Status().Update); returns the server's object.
Result<rapidjson::Document> WriteStatus(kubeapi::Client& client,
                                        const kubeapi::ResourceMapping& mapping,
                                        const std::string& namespace_name,
                                        const rapidjson::Value& live,
                                        const MattermostStatus& status) {
  rapidjson::Document object = Copy(live);
  SetMember(object, "status", StatusJson(status).Build(object.GetAllocator()),
            object.GetAllocator());
  return client.rest().Update(mapping, namespace_name, object, {.field_manager = kFieldManager},
                              "status");
}

// A plan that stopped before any child: the operator writes state reconciling and the error.
Plan FailedPlan(const rapidjson::Value& live, std::string error) {
  Plan plan;
  plan.status = ReadMattermostStatus(live);
  const rapidjson::Value* metadata = FindMember(live, "metadata");
  const rapidjson::Value* generation = metadata ? FindMember(*metadata, "generation") : nullptr;
  if (generation != nullptr && generation->IsInt64()) {
    plan.status.observed_generation = generation->GetInt64();
  }
  plan.status.state = "reconciling";
  plan.status.error = error;
  plan.error = std::move(error);
  return plan;
}

class Pass {
 public:
  Pass(kubeapi::Client& client, const PassOptions& options)
      : client_(client),
        options_(options),
        live_(client.rest()),
        reader_(options.reader != nullptr ? *options.reader : live_) {}

  Result<PassResult> Run(const std::string& namespace_name, const std::string& name) {
    auto mapping = client_.mapper().Mapping(kMattermostApiVersion, kMattermostKind);
    if (!mapping) return std::move(mapping).error();
    mapping_ = *mapping;
    namespace_ = namespace_name;
    if (options_.resource != nullptr) {
      result_.mattermost = Share(Copy(*options_.resource));
    } else {
      auto live = reader_.Get(mapping_, namespace_name, name);
      if (!live) return std::move(live).error();
      if (*live == nullptr) return NotFoundError(mapping_, name);
      result_.mattermost = Share(Copy(**live));
    }
    auto plan = Decide();
    if (!plan) return std::move(plan).error();
    result_.plan = std::move(*plan);
    if (!options_.dry_run && (result_.plan.error.empty() || result_.plan.act_then_fail)) {
      Result<void> executed = ExecutePlan(client_, namespace_name, result_.plan, result_.writes);
      if (!executed) {
        result_.plan.error = executed.error().message();
        result_.plan.status.state = "reconciling";
        result_.plan.status.error = result_.plan.error;
        // Best effort: when the status cannot record the failure either (e.g. a conflict), the
        // failure is still what the user must see, not the status write's error.
        (void)Status();
        return std::move(executed).error();
      }
    }
    MM_RETURN_IF_ERROR(Status());
    return std::move(result_);
  }

 private:
  // Defaults (with write-back), facts, children, observation, plan. Problems of the resource
  // become a failed plan; request failures are errors.
  Result<Plan> Decide() {
    auto parsed = ParseMattermost(Copy(*result_.mattermost));
    if (!parsed) return FailedPlan(*result_.mattermost, parsed.error().message());
    auto defaulted_document = DefaultMattermost(*parsed);
    if (!defaulted_document) {
      return FailedPlan(*result_.mattermost, defaulted_document.error().message());
    }
    bool written_back = false;
    if (FirstDifference(SpecOf(*result_.mattermost), SpecOf(*defaulted_document))) {
      result_.spec_defaulted = true;
      if (!options_.dry_run) {
        auto updated = client_.rest().Update(mapping_, parsed->namespace_, *defaulted_document,
                                             {.field_manager = kFieldManager});
        if (!updated) return std::move(updated).error();
        ++result_.writes;
        *defaulted_document = std::move(*updated);
        result_.mattermost = Share(Copy(*defaulted_document));
        written_back = true;
      }
    }
    // The server's answer to a write-back is read whole (it may differ from what we sent); our
    // own defaulted document is read again only where defaulting wrote (ParseDefaulted).
    auto mattermost = written_back
                          ? ParseMattermost(std::move(*defaulted_document))
                          : ParseDefaulted(std::move(*parsed), std::move(*defaulted_document));
    if (!mattermost) return FailedPlan(*result_.mattermost, mattermost.error().message());
    auto facts = ReadClusterFacts(client_, reader_, *mattermost);
    if (!facts && facts.error().kind() != ErrorKind::kInvalid) return std::move(facts).error();
    if (!facts) return FailedPlan(*result_.mattermost, facts.error().message());
    RandomBytes random = [](uint8_t* out, size_t size) {
      std::random_device device;  // getrandom(2) on Linux: fit for generated passwords
      for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(device());
    };
    auto desired = BuildChildren(*mattermost, *facts, &random);
    if (!desired) return FailedPlan(*result_.mattermost, desired.error().message());
    Observation observation;
    MM_RETURN_IF_ERROR(
        ObserveChildren(client_, reader_, *mattermost, *desired, *result_.mattermost, observation));
    return Reconcile(*mattermost, *desired, observation.state);
  }

  // Writes the plan's status when it differs from the live one (the operator skips equal ones).
  Result<void> Status() {
    if (result_.plan.status == ReadMattermostStatus(*result_.mattermost)) return {};
    result_.status_written = true;
    if (options_.dry_run) return {};
    auto written =
        WriteStatus(client_, mapping_, namespace_, *result_.mattermost, result_.plan.status);
    if (!written) return std::move(written).error().Wrap("write status");
    ++result_.writes;
    result_.mattermost = Share(std::move(*written));
    return {};
  }

  kubeapi::Client& client_;
  const PassOptions& options_;
  LiveReader live_;
  // Each object is read once per pass, however many steps look at it.
  MemoReader reader_;
  kubeapi::ResourceMapping mapping_;
  std::string namespace_;
  PassResult result_;
};

}  // namespace

Result<PassResult> ReconcileOnce(kubeapi::Client& client, const std::string& namespace_name,
                                 const std::string& name, const PassOptions& options) {
  return Pass(client, options).Run(namespace_name, name);
}

Result<bool> RecordReconcileError(kubeapi::Client& client, const std::string& namespace_name,
                                  const std::string& name, const std::string& error) {
  auto mapping = client.mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  auto live = client.rest().Get(*mapping, namespace_name, name);
  if (!live) return std::move(live).error();
  Plan plan = FailedPlan(*live, error);
  if (plan.status == ReadMattermostStatus(*live)) return false;
  auto written = WriteStatus(client, *mapping, namespace_name, *live, plan.status);
  if (!written) return std::move(written).error().Wrap("write status");
  return true;
}

}  // namespace mm::engine
