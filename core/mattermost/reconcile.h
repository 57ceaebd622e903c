#pragma once

#include <rapidjson/document.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/mattermost/children.h"
#include "core/mattermost/mattermost.h"
#include "core/mattermost/status.h"

namespace mm {

// One step of a reconcile plan, executed in order by the engine.
enum class ActionType {
  kCreate,           // POST `object`
  kUpdate,           // replace the live object with `object` (it differs at `reason`)
  kDelete,           // delete the live object
  kRecreate,         // delete the live object, then create `object` (immutable field changed)
  kCreateUpdateJob,  // create the update Job `object`
  kDeleteUpdateJob,  // delete the update Job (propagation Background)
  kRefuse,           // the object exists but is not ours: stop, touch nothing
};

struct Action {
  ActionType type;
  std::string api_version;
  std::string kind;
  std::string name;
  std::shared_ptr<const rapidjson::Document> object;  // for create / update / recreate / job
  std::string reason;
};

// The decision of one reconcile, as data; nothing has been done yet.
struct Plan {
  std::vector<Action> actions;
  std::optional<int> requeue_after_seconds;  // come back after this long (no error)
  std::string waiting_for;                   // what the requeue waits for
  std::string error;                         // non-empty: the reconcile failed (status.error)
  // With `error`: the operator does `actions` (the children of the steps before the one that
  // failed) and then fails; without, a failed plan's actions are not taken (a refusal, a failed
  // update Job left for its log).
  bool act_then_fail = false;
  MattermostStatus status;  // the status to write after the actions
};

// What the engine read from the cluster for one Mattermost. Pointers are owned by the caller.
struct ObservedState {
  // Live children by "Kind/name" (e.g. "Deployment/foo"); absent = not found.
  std::map<std::string, const rapidjson::Value*> objects;
  const rapidjson::Value* update_job = nullptr;  // Job mattermost-update-check
  HealthObservation health;
  MattermostStatus status;  // the Mattermost's current status
};

// The key of ObservedState::objects for a child.
std::string ObjectKey(const std::string& kind, const std::string& name);

// Decides what the operator would do for the defaulted `mattermost` whose desired children are
// `desired` (BuildChildren), given what exists (§3-§6), as a short linear script:
// for each child in order create it, refuse when the live object is not owned by this
// Mattermost, recreate a Service whose type changed, gate an image change behind the update Job
// (create / await / fail / roll out), update an object when the operator would (the three-way
// comparison of its last-applied record, the desired and the live object: a field we set that is
// missing or different, or one we set last time and no longer do), delete unwanted objects we
// own; then run the health check. Every object a create/update/recreate/job action carries has
// the `mattermost.com/last-applied` record the operator would write (WithLastApplied), so either
// side finds nothing to change after the other. Never fails: problems become Plan::error.
Plan Reconcile(const Mattermost& mattermost, const DesiredState& desired,
               const ObservedState& observed);

}  // namespace mm
