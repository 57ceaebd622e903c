// The persistent volume controller of a cluster with a default StorageClass that binds at once
// (volumeBindingMode Immediate) and a provisioner: a claim without a volume gets a new
// PersistentVolume pvc-<uid> of its size and access modes and is bound to it; a claim naming a
// volume is bound when that volume exists and stays Pending otherwise. What kube-controller-
// manager writes: spec.volumeName, the pv.kubernetes.io/bind-completed and bound-by-controller
// annotations, and status.phase, accessModes and capacity (what the operator's external-volume
// check reads: phase Bound or Pending). Claims that already have a phase are left alone, and a
// Pending claim is not revisited when its volume appears later (rare in tests; the operator's
// check accepts Pending).
#include "core/json.h"
#include "tests/sandbox/sim/cluster.h"

namespace sandbox::sim {
namespace {

constexpr const char* kProvisioner = "sandbox.local/hostpath";

// The PersistentVolume the provisioner makes for `claim`, named `name`.
rapidjson::Document ProvisionedVolume(const Json& claim, const std::string& name) {
  rapidjson::Document pv(rapidjson::kObjectType);
  Alloc& alloc = pv.GetAllocator();
  const Json& m = *Member(claim, "metadata");
  SetString(pv, "apiVersion", "v1", alloc);
  SetString(pv, "kind", "PersistentVolume", alloc);
  Json& metadata = Child(pv, "metadata", alloc);
  SetString(metadata, "name", name, alloc);
  SetString(Child(metadata, "annotations", alloc), "pv.kubernetes.io/provisioned-by", kProvisioner,
            alloc);
  Json& spec = Child(pv, "spec", alloc);
  if (const Json* modes = AtPath(claim, "spec.accessModes"))
    Set(spec, "accessModes", *modes, alloc);
  if (const Json* size = AtPath(claim, "spec.resources.requests.storage")) {
    Set(Child(spec, "capacity", alloc), "storage", *size, alloc);
  }
  Json& ref = Child(spec, "claimRef", alloc);
  SetString(ref, "apiVersion", "v1", alloc);
  SetString(ref, "kind", "PersistentVolumeClaim", alloc);
  SetString(ref, "namespace", Str(m, "namespace"), alloc);
  SetString(ref, "name", Str(m, "name"), alloc);
  SetString(ref, "uid", Str(m, "uid"), alloc);
  SetString(spec, "persistentVolumeReclaimPolicy", "Delete", alloc);
  std::string storage_class = Str(*Member(claim, "spec"), "storageClassName");
  if (!storage_class.empty()) SetString(spec, "storageClassName", storage_class, alloc);
  SetString(spec, "volumeMode", "Filesystem", alloc);
  SetString(Child(spec, "hostPath", alloc), "path", "/var/lib/sandbox-volumes/" + name, alloc);
  return pv;
}

}  // namespace

void Cluster::SyncClaim(const std::string& key) {
  ObjectPtr claim = api_.store().Get("/persistentvolumeclaims", key);
  if (claim == nullptr || AtPath(*claim, "metadata.deletionTimestamp") != nullptr) return;
  if (const Json* phase = AtPath(*claim, "status.phase"); phase && phase->IsString()) return;
  const Json& m = *Member(*claim, "metadata");
  const std::string path =
      "/api/v1/namespaces/" + Str(m, "namespace") + "/persistentvolumeclaims/" + Str(m, "name");
  std::string volume = Str(*Member(*claim, "spec"), "volumeName");
  ObjectPtr pv = volume.empty() ? nullptr : api_.store().Get("/persistentvolumes", volume);
  rapidjson::Document object = Clone(*claim);
  Alloc& alloc = object.GetAllocator();
  if (volume.empty()) {
    volume = "pvc-" + Str(m, "uid");
    pv = Create("/api/v1/persistentvolumes", ProvisionedVolume(*claim, volume));
    if (pv == nullptr) return;
    SetString(Child(object, "spec", alloc), "volumeName", volume, alloc);
    Json& annotations = Child(Child(object, "metadata", alloc), "annotations", alloc);
    SetString(annotations, "pv.kubernetes.io/bind-completed", "yes", alloc);
    SetString(annotations, "pv.kubernetes.io/bound-by-controller", "yes", alloc);
    SetString(annotations, "volume.kubernetes.io/storage-provisioner", kProvisioner, alloc);
    Response updated = Call("PUT", path, Dump(object));
    if (updated.code >= 300) return;
    auto parsed = mm::ParseJson(updated.body);
    if (!parsed) return;
    object = std::move(*parsed);
  }
  Json& status = Child(object, "status", object.GetAllocator());
  Alloc& status_alloc = object.GetAllocator();
  SetString(status, "phase", pv != nullptr ? "Bound" : "Pending", status_alloc);
  if (pv != nullptr) {
    if (const Json* modes = AtPath(*pv, "spec.accessModes")) {
      Set(status, "accessModes", *modes, status_alloc);
    }
    if (const Json* capacity = AtPath(*pv, "spec.capacity")) {
      Set(status, "capacity", *capacity, status_alloc);
    }
  }
  PutStatus(path, object);
}

}  // namespace sandbox::sim
