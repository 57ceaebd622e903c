#include "plugin/install/operator_install.h"

#include <cctype>
#include <set>

#include "core/json.h"
#include "core/json_diff.h"
#include "kubeapi/informer.h"
#include "kubeapi/watch.h"
#include "manifests/manifests.h"
#include "plugin/engine/engine.h"
#include "plugin/interrupt.h"
#include "plugin/progress.h"

namespace mm {
namespace {

bool HasCondition(const rapidjson::Value* object, const char* type) {
  if (object == nullptr) return false;
  const rapidjson::Value* status = FindMember(*object, "status");
  const rapidjson::Value* conditions = status ? FindMember(*status, "conditions") : nullptr;
  if (conditions == nullptr || !conditions->IsArray()) return false;
  for (const rapidjson::Value& condition : conditions->GetArray()) {
    if (GetString(condition, "type") == type) return GetString(condition, "status") == "True";
  }
  return false;
}

std::string NameOf(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  return metadata ? GetString(*metadata, "name") : "";
}

std::string NamespaceOf(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  return metadata ? GetString(*metadata, "namespace") : "";
}

// Whether `before` and `after` are the same object apart from what only the server writes
// (resourceVersion, managedFields, status: e.g. a CRD's conditions, updated on the server's own
// schedule).
bool SameObject(const rapidjson::Value& before, const rapidjson::Value& after) {
  auto strip = [](const rapidjson::Value& object) {
    rapidjson::Document copy;
    copy.CopyFrom(object, copy.GetAllocator());
    copy.RemoveMember("status");
    if (copy.HasMember("metadata") && copy["metadata"].IsObject()) {
      copy["metadata"].RemoveMember("resourceVersion");
      copy["metadata"].RemoveMember("managedFields");
    }
    return copy;
  };
  return !FirstDifference(strip(before), strip(after)).has_value();
}

int IntAt(const rapidjson::Value* object, const char* field, const char* key, int fallback) {
  const rapidjson::Value* parent = object ? FindMember(*object, field) : nullptr;
  const rapidjson::Value* value = parent ? FindMember(*parent, key) : nullptr;
  return value != nullptr && value->IsInt() ? value->GetInt() : fallback;
}

// What a wait for an operator workload shows, and whether it is over: a Deployment when it is
// Available, a StatefulSet when its current generation has every replica ready (as `kubectl
// rollout status` decides). E.g. `Waiting for deployment "x" in namespace "y": 0/1 pods
// available`.
struct WorkloadProgress {
  std::string text;
  bool done = false;
};

WorkloadProgress ObserveWorkload(const std::string& kind, const std::string& ns,
                                 const std::string& name, const rapidjson::Value* object) {
  std::string lower = kind == "Deployment" ? "deployment" : "statefulset";
  std::string what = "Waiting for " + lower + " \"" + name + "\" in namespace \"" + ns + "\"";
  if (object == nullptr) return {what + " to be created"};
  int want = IntAt(object, "spec", "replicas", 1);
  if (kind == "Deployment") {
    int have = IntAt(object, "status", "availableReplicas", 0);
    return {what + ": " + std::to_string(have) + "/" + std::to_string(want) + " pods available",
            HasCondition(object, "Available")};
  }
  int have = IntAt(object, "status", "readyReplicas", 0);
  bool current = IntAt(object, "status", "observedGeneration", 0) >=
                 IntAt(object, "metadata", "generation", 0);
  return {what + ": " + std::to_string(have) + "/" + std::to_string(want) + " pods ready",
          current && have >= want};
}

class OperatorInstaller {
 public:
  OperatorInstaller(kubeapi::Client& client, const OperatorInstallSettings& settings,
                    IOStreams& streams)
      : client_(client), settings_(settings), streams_(streams) {
    deadline_ =
        kubeapi::RealClock().Now() + (settings.wait ? settings.timeout : std::chrono::minutes(1));
  }

  Result<void> Run() {
    auto objects = LoadOperatorObjects(settings_.sources, settings_.read);
    if (!objects) return std::move(objects).error();
    if (settings_.dry_run == "client") return PrintDryRun(*objects);
    operator_namespace_ = OperatorNamespaceIn(*objects);
    int changed = 0;
    for (const OperatorObject& entry : *objects) {
      auto verb = Apply(entry.object);
      if (!verb) return std::move(verb).error();
      if (*verb != "unchanged") ++changed;
      if (settings_.format == OutputFormat::kHuman) {
        streams_.out << KubectlName(entry.object) << " " << *verb << "\n";
      }
    }
    if (settings_.format != OutputFormat::kHuman) return PrintObjects(*objects);
    if (settings_.dry_run == "server") return {};
    std::string what = settings_.sources.from.empty()
                           ? "operator v" + std::string(manifests::OperatorVersion())
                           : "operator from " + settings_.sources.from;
    streams_.err << (changed == 0 ? "operator already installed: nothing changed\n"
                                  : what + " installed\n");
    if (!settings_.wait) return {};
    InterruptGuard interrupt;  // Ctrl-C ends the wait with 130 (no other thread runs here)
    return WaitAvailable(*objects, interrupt.token());
  }

 private:
  // Applies one object; returns kubectl's verb for what happened. Reading the object first tells
  // "unchanged" from "configured"; it is skipped (one request per object) for objects that cannot
  // exist yet: those in a namespace this run created, and, when this run created the operator's
  // namespace (a first install), the cluster-scoped ones too (an existing one says
  // "configured").
  Result<std::string> Apply(const rapidjson::Value& object) {
    auto mapping = client_.mapper().MappingFor(object);
    if (!mapping) return std::move(mapping).error();
    std::string ns = mapping->namespaced ? NamespaceOf(object) : "";
    if (mapping->namespaced && ns.empty()) ns = client_.config().namespace_name;
    const std::string kind = GetString(object, "kind");
    const bool dry_run = settings_.dry_run == "server";
    if (dry_run && mapping->namespaced && dry_run_namespaces_.contains(ns)) {
      // The server would refuse it (namespace not found) as it refuses kubectl's dry run.
      return "created (server dry run; not sent: namespace " + ns + " does not exist yet)";
    }
    const bool fresh = mapping->namespaced ? created_namespaces_.contains(ns)
                                           : created_namespaces_.contains(operator_namespace_);
    std::optional<rapidjson::Document> before;
    if (dry_run || kind == "Namespace" || !fresh) {
      auto read = client_.rest().Get(*mapping, ns, NameOf(object));
      if (!read && !IsNotFound(read.error())) return std::move(read).error();
      if (read) before = std::move(*read);
    }
    auto applied = client_.rest().ApplyWithOutcome(
        *mapping, ns, object,
        {.field_manager = engine::kFieldManager, .force = true, .dry_run = dry_run});
    if (!applied) return std::move(applied).error();
    std::string suffix = dry_run ? " (server dry run)" : "";
    if (dry_run) {
      if (kind == "Namespace" && !before) dry_run_namespaces_.insert(NameOf(object));
      return (before ? "configured" : "created") + suffix;
    }
    if (kind == "CustomResourceDefinition") {
      if (!HasCondition(&applied->object, "Established")) {
        MM_RETURN_IF_ERROR(WaitEstablished(NameOf(object)));
      }
      client_.mapper().Invalidate();  // the new kinds are served now
    }
    if (applied->created) {
      if (kind == "Namespace") created_namespaces_.insert(NameOf(object));
      return std::string("created");
    }
    if (!before) return std::string("configured");
    return std::string(SameObject(*before, applied->object) ? "unchanged" : "configured");
  }

  Result<void> WaitEstablished(const std::string& name) {
    const kubeapi::ResourceMapping* crds =
        kubeapi::BuiltinMapping("apiextensions.k8s.io/v1", "CustomResourceDefinition");
    auto established = kubeapi::WaitFor(
        client_.rest(), *crds, "", name,
        [](const rapidjson::Value* crd) { return HasCondition(crd, "Established"); },
        kubeapi::RealClock(), deadline_, nullptr);
    if (!established) return std::move(established).error();
    return {};
  }

  // Waits for every Deployment and StatefulSet among `objects` to be available, showing its
  // progress.
  Result<void> WaitAvailable(const std::vector<OperatorObject>& objects,
                             const kubeapi::CancellationToken& cancel) {
    for (const auto& [object, unused] : objects) {
      std::string kind = GetString(object, "kind");
      if (kind != "Deployment" && kind != "StatefulSet") continue;
      std::string ns = NamespaceOf(object);
      std::string name = NameOf(object);
      Progress progress(streams_);
      auto available = kubeapi::WaitFor(
          client_.rest(), *kubeapi::BuiltinMapping("apps/v1", kind), ns, name,
          [&](const rapidjson::Value* workload) {
            WorkloadProgress state = ObserveWorkload(kind, ns, name, workload);
            progress.Update(state.text);
            return state.done;
          },
          kubeapi::RealClock(), deadline_, &cancel);
      progress.Finish();
      std::string lower = kind == "Deployment" ? "deployment" : "statefulset";
      if (!available && available.error().kind() == ErrorKind::kTimeout) {
        return Error::Timeout("timed out after " + settings_.timeout_text + " waiting for " +
                              lower + " \"" + name + "\" in namespace \"" + ns +
                              "\" to be available");
      }
      if (!available && available.error().kind() == ErrorKind::kInterrupted) {
        return Error::Interrupted("interrupted while waiting for " + lower + " \"" + name +
                                  "\" in namespace \"" + ns + "\" to be available");
      }
      if (!available) return std::move(available).error();
      streams_.err << lower << " \"" << name << "\" available\n";
    }
    streams_.err << "operator available\n";
    return {};
  }

  Result<void> PrintDryRun(const std::vector<OperatorObject>& objects) {
    if (settings_.format != OutputFormat::kHuman) return PrintObjects(objects);
    for (const auto& [object, unused] : objects) {
      streams_.out << KubectlName(object) << " applied (dry run)\n";
    }
    return {};
  }

  Result<void> PrintObjects(const std::vector<OperatorObject>& objects) {
    rapidjson::Document list(rapidjson::kObjectType);
    auto& allocator = list.GetAllocator();
    list.AddMember("apiVersion", "v1", allocator);
    list.AddMember("kind", "List", allocator);
    rapidjson::Value items(rapidjson::kArrayType);
    for (const auto& [object, unused] : objects) {
      items.PushBack(rapidjson::Value(object, allocator), allocator);
    }
    list.AddMember("items", items, allocator);
    PrintStructured(list, settings_.format, streams_.out);
    return {};
  }

  kubeapi::Client& client_;
  const OperatorInstallSettings& settings_;
  IOStreams& streams_;
  kubeapi::Clock::TimePoint deadline_;
  std::string operator_namespace_;
  std::set<std::string> created_namespaces_;  // by this run
  std::set<std::string> dry_run_namespaces_;  // a server dry run would have created them
};

}  // namespace

std::vector<rapidjson::Document> EmbeddedOperatorObjects() {
  std::vector<rapidjson::Document> objects;
  auto array = ParseJson(manifests::OperatorManifestJson(), "embedded operator manifest");
  if (!array || !array->IsArray()) return objects;  // the build generated it: cannot happen
  for (const rapidjson::Value& object : array->GetArray()) {
    rapidjson::Document copy;
    copy.CopyFrom(object, copy.GetAllocator());
    objects.push_back(std::move(copy));
  }
  return objects;
}

std::string KubectlName(const rapidjson::Value& object) {
  std::string kind = GetString(object, "kind");
  for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string group;
  std::string version;
  kubeapi::SplitApiVersion(GetString(object, "apiVersion"), group, version);
  return kind + (group.empty() ? "" : "." + group) + "/" + NameOf(object);
}

Result<void> RunOperatorInstall(kubeapi::Client& client, const OperatorInstallSettings& settings,
                                IOStreams& streams) {
  return OperatorInstaller(client, settings, streams).Run();
}

Result<void> ApplyCrdAndWait(kubeapi::Client& client, const rapidjson::Value& crd,
                             std::chrono::system_clock::time_point deadline) {
  const kubeapi::ResourceMapping* crds =
      kubeapi::BuiltinMapping("apiextensions.k8s.io/v1", "CustomResourceDefinition");
  auto applied =
      client.rest().Apply(*crds, "", crd, {.field_manager = engine::kFieldManager, .force = true});
  if (!applied) return std::move(applied).error();
  if (!HasCondition(&*applied, "Established")) {
    auto established = kubeapi::WaitFor(
        client.rest(), *crds, "", NameOf(crd),
        [](const rapidjson::Value* object) { return HasCondition(object, "Established"); },
        kubeapi::RealClock(), deadline, nullptr);
    if (!established) return std::move(established).error();
  }
  client.mapper().Invalidate();
  return {};
}

}  // namespace mm
