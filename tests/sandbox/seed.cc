// A fresh cluster's objects, and state-dir snapshots.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/json.h"
#include "tests/sandbox/api_call.h"
#include "tests/sandbox/crd.h"

namespace sandbox {
namespace {

constexpr const char* kNodeTemplate = R"json({
  "apiVersion": "v1", "kind": "Node",
  "metadata": {"name": "NAME", "labels": {"kubernetes.io/hostname": "NAME",
    "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"}},
  "spec": {"podCIDR": "10.244.INDEX.0/24"},
  "status": {
    "capacity": {"cpu": "4", "memory": "16393964Ki", "pods": "110", "ephemeral-storage": "100Gi"},
    "allocatable": {"cpu": "4", "memory": "16291564Ki", "pods": "110",
                    "ephemeral-storage": "100Gi"},
    "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                    "message": "kubelet is posting ready status",
                    "lastHeartbeatTime": "NOW", "lastTransitionTime": "NOW"}],
    "addresses": [{"type": "InternalIP", "address": "10.0.0.INDEX"},
                  {"type": "Hostname", "address": "NAME"}],
    "nodeInfo": {"kubeletVersion": "VERSION", "kubeProxyVersion": "VERSION",
                 "osImage": "Debian GNU/Linux 12 (bookworm)", "kernelVersion": "6.1.0",
                 "containerRuntimeVersion": "containerd://1.7.24", "operatingSystem": "linux",
                 "architecture": "amd64"}}})json";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

}  // namespace

void ApiServer::Seed() {
  const ResourceType* namespaces = registry_.Find("", "v1", "namespaces");
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    Request request;
    request.body = std::string(R"({"metadata":{"name":")") + name + "\"}}";
    Call call(request);
    call.type = *namespaces;
    auto object = mm::ParseJson(request.body);
    if (CheckIdentity(call, *object)) (void)CommitCreate(call, std::move(*object), false);
  }
  const ResourceType* nodes = registry_.Find("", "v1", "nodes");
  for (int i = 1; i <= 3; ++i) {
    std::string name = "sandbox-node-" + std::to_string(i);
    std::string text = Replace(kNodeTemplate, "NAME", name);
    text = Replace(text, "INDEX", std::to_string(i));
    text = Replace(text, "NOW", Now());
    text = Replace(text, "VERSION", "v1." + std::to_string(config_.version_minor) + ".4");
    auto object = mm::ParseJson(text);
    Alloc& alloc = object->GetAllocator();
    Json& m = Child(*object, "metadata", alloc);
    SetString(m, "uid", NewUid(), alloc);
    // A configured size is both the capacity and what pods may request (nothing reserved).
    for (const char* field : {"capacity", "allocatable"}) {
      Json& resources = Child(Child(*object, "status", alloc), field, alloc);
      if (!config_.node_cpu.empty()) SetString(resources, "cpu", config_.node_cpu, alloc);
      if (!config_.node_memory.empty()) SetString(resources, "memory", config_.node_memory, alloc);
      if (config_.node_pods > 0) {
        SetString(resources, "pods", std::to_string(config_.node_pods), alloc);
      }
    }
    SetString(m, "creationTimestamp", Now(), alloc);
    Persist(*nodes, std::move(*object));
  }
}

mm::Result<void> ApiServer::SaveSnapshot(const std::string& path) const {
  std::string out = R"({"resourceVersion":)" + std::to_string(store_.rv()) + R"(,"objects":[)";
  bool first = true;
  std::vector<std::string> ids = store_.StorageIds();
  // CRDs first, so loading serves their resources before their objects arrive.
  std::stable_partition(ids.begin(), ids.end(), [](const std::string& id) {
    return id == "apiextensions.k8s.io/customresourcedefinitions";
  });
  for (const std::string& id : ids) {
    store_.Scan(id, "", "", 0, [&](const std::string&, const ObjectPtr& o) {
      out += (first ? "" : ",\n") + std::string(R"({"storage":")") + id + R"(","object":)" +
             Dump(*o) + "}";
      first = false;
      return true;
    });
  }
  out += "]}\n";
  std::string tmp = path + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    file << out;
    if (!file.flush()) return mm::Error::Internal("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return mm::Error::Internal("cannot rename " + tmp + " to " + path);
  }
  return {};
}

mm::Result<void> ApiServer::LoadSnapshot(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return mm::Error::Config("cannot read snapshot " + path);
  std::stringstream text;
  text << file.rdbuf();
  auto doc = mm::ParseJson(text.str(), path);
  if (!doc) return doc.error();
  const Json* objects = Member(*doc, "objects");
  const Json* rv = Member(*doc, "resourceVersion");
  if (objects == nullptr || !objects->IsArray() || rv == nullptr || !rv->IsUint64()) {
    return mm::Error::Invalid(path + ": not a kube-sandbox snapshot");
  }
  for (const auto& entry : objects->GetArray()) {
    std::string id = Str(entry, "storage");
    const Json* object = Member(entry, "object");
    if (object == nullptr || !object->IsObject()) continue;
    const Json* m = Member(*object, "metadata");
    std::string key = ObjectKey(m ? Str(*m, "namespace") : "", m ? Str(*m, "name") : "");
    store_.Restore(id, key, Freeze(Clone(*object)));
    if (id == "apiextensions.k8s.io/customresourcedefinitions") {
      registry_.SetCustom(Str(*m, "name"), TypesFromCrd(*object));
    }
  }
  store_.SetRv(rv->GetUint64());
  return {};
}

}  // namespace sandbox
