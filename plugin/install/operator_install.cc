#include "plugin/install/operator_install.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "core/json.h"
#include "core/json_diff.h"
#include "core/yaml.h"
#include "kubeapi/informer.h"
#include "kubeapi/watch.h"
#include "manifests/manifests.h"
#include "plugin/engine/engine.h"
#include "plugin/engine/operator_detect.h"

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

Result<std::vector<rapidjson::Document>> ReadObjects(const std::string& from_file) {
  if (from_file.empty()) return EmbeddedOperatorObjects();
  std::ifstream file(from_file, std::ios::binary);
  if (!file) return Error::Usage("--from: the path \"" + from_file + "\" does not exist");
  std::stringstream text;
  text << file.rdbuf();
  return ParseYamlDocuments(text.str(), from_file);
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
    auto objects = ReadObjects(settings_.from_file);
    if (!objects) return std::move(objects).error();
    if (settings_.dry_run == "client") return PrintDryRun(*objects);
    int changed = 0;
    for (const rapidjson::Document& object : *objects) {
      auto verb = Apply(object);
      if (!verb) return std::move(verb).error();
      if (*verb != "unchanged") ++changed;
      if (settings_.format == OutputFormat::kHuman) {
        streams_.out << KubectlName(object) << " " << *verb << "\n";
      }
    }
    if (settings_.format != OutputFormat::kHuman) return PrintObjects(*objects);
    if (settings_.dry_run == "server") return {};
    streams_.err << (changed == 0 ? "operator already installed: nothing changed\n"
                                  : "operator v" + std::string(manifests::OperatorVersion()) +
                                        " installed\n");
    if (settings_.wait) return WaitAvailable();
    return {};
  }

 private:
  // Applies one object; returns kubectl's verb for what happened.
  Result<std::string> Apply(const rapidjson::Value& object) {
    auto mapping = client_.mapper().MappingFor(object);
    if (!mapping) return std::move(mapping).error();
    std::string ns = mapping->namespaced ? NamespaceOf(object) : "";
    auto before = client_.rest().Get(*mapping, ns, NameOf(object));
    if (!before && !IsNotFound(before.error())) return std::move(before).error();
    bool dry_run = settings_.dry_run == "server";
    auto applied = client_.rest().Apply(
        *mapping, ns, object,
        {.field_manager = engine::kFieldManager, .force = true, .dry_run = dry_run});
    if (!applied) return std::move(applied).error();
    std::string suffix = dry_run ? " (server dry run)" : "";
    if (!before) {
      if (!dry_run && GetString(object, "kind") == "CustomResourceDefinition") {
        MM_RETURN_IF_ERROR(WaitEstablished(NameOf(object)));
      }
      return "created" + suffix;
    }
    return (SameObject(*before, *applied) ? "unchanged" : "configured") + suffix;
  }

  Result<void> WaitEstablished(const std::string& name) {
    const kubeapi::ResourceMapping* crds =
        kubeapi::BuiltinMapping("apiextensions.k8s.io/v1", "CustomResourceDefinition");
    auto established = kubeapi::WaitFor(
        client_.rest(), *crds, "", name,
        [](const rapidjson::Value* crd) { return HasCondition(crd, "Established"); },
        kubeapi::RealClock(), deadline_, nullptr);
    if (!established) return std::move(established).error();
    client_.mapper().Invalidate();  // the new kinds are served now
    return {};
  }

  Result<void> WaitAvailable() {
    streams_.err << "waiting for deployment " << engine::kOperatorNamespace << "/"
                 << engine::kOperatorDeployment << " to be available\n";
    auto available = kubeapi::WaitFor(
        client_.rest(), *kubeapi::BuiltinMapping("apps/v1", "Deployment"),
        engine::kOperatorNamespace, engine::kOperatorDeployment,
        [](const rapidjson::Value* deployment) { return HasCondition(deployment, "Available"); },
        kubeapi::RealClock(), deadline_, nullptr);
    if (!available && available.error().kind() == ErrorKind::kTimeout) {
      return Error::Timeout("timed out after " + settings_.timeout_text +
                            " waiting for the operator deployment to be available");
    }
    if (!available) return std::move(available).error();
    streams_.err << "operator available\n";
    return {};
  }

  Result<void> PrintDryRun(const std::vector<rapidjson::Document>& objects) {
    if (settings_.format != OutputFormat::kHuman) return PrintObjects(objects);
    for (const rapidjson::Document& object : objects) {
      streams_.out << KubectlName(object) << " applied (dry run)\n";
    }
    return {};
  }

  Result<void> PrintObjects(const std::vector<rapidjson::Document>& objects) {
    rapidjson::Document list(rapidjson::kObjectType);
    auto& allocator = list.GetAllocator();
    list.AddMember("apiVersion", "v1", allocator);
    list.AddMember("kind", "List", allocator);
    rapidjson::Value items(rapidjson::kArrayType);
    for (const rapidjson::Document& object : objects) {
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
  auto established = kubeapi::WaitFor(
      client.rest(), *crds, "", NameOf(crd),
      [](const rapidjson::Value* object) { return HasCondition(object, "Established"); },
      kubeapi::RealClock(), deadline, nullptr);
  if (!established) return std::move(established).error();
  client.mapper().Invalidate();
  return {};
}

}  // namespace mm
