#include "core/mattermost/children.h"

#include "core/json.h"
#include "core/json_builder.h"
#include "core/mattermost/database.h"
#include "core/mattermost/deployment.h"
#include "core/mattermost/network.h"
#include "core/mattermost/operator_resources.h"
#include "core/mattermost/rbac.h"
#include "core/mattermost/referenced_objects.h"
#include "core/mattermost/resource_patch.h"

namespace mm {
namespace {

void Add(std::vector<DesiredChild>& children, const char* api_version, const char* kind,
         std::string name, std::optional<rapidjson::Document> object) {
  std::shared_ptr<const rapidjson::Document> shared;
  if (object) shared = std::make_shared<const rapidjson::Document>(std::move(*object));
  children.push_back({api_version, kind, std::move(name), std::move(shared)});
}

}  // namespace

Result<DesiredState> BuildChildren(const Mattermost& mattermost, const ClusterFacts& facts,
                                   const RandomBytes* random) {
  MM_RETURN_IF_ERROR(CheckExternalDatabaseSecret(mattermost, facts));
  JsonArena arena;  // every builder's Json tree, released at once
  DesiredState state;
  std::vector<DesiredChild>& children = state.children;
  // The operator's steps that can fail after some children were handled (§3.0 order).
  auto stop = [&state](Result<void> checked) {
    if (!checked) state.error = checked.error().message();
    return !checked;
  };
  auto mysql = BuildMysqlCluster(mattermost);
  if (!mysql) return std::move(mysql).error();
  if (*mysql) {
    std::string name = GetString((**mysql)["metadata"], "name");
    Add(children, "mysql.presslabs.org/v1alpha1", "MysqlCluster", name, std::move(*mysql));
    if (random != nullptr) {
      Add(children, "v1", "Secret", MysqlSecretName(mattermost),
          BuildMysqlSecret(mattermost, *random));
      children.back().create_only = true;
    }
    if (stop(CheckMysqlSecret(facts))) return state;
  }
  if (auto minio = BuildMinioInstance(mattermost)) {
    if (random != nullptr) {
      Add(children, "v1", "Secret", mattermost.name + "-minio",
          BuildMinioSecret(mattermost, *random));
      children.back().keep_live_data = true;
    }
    Add(children, "miniocontroller.min.io/v1beta1", "MinIOInstance", mattermost.name + "-minio",
        std::move(minio));
  }
  if (stop(CheckFileStoreReferences(mattermost, facts))) return state;
  const ClaimFact* claim =
      facts.local_claim && facts.local_claim->exists ? &*facts.local_claim : nullptr;
  if (auto pvc = BuildLocalPvc(mattermost, claim ? &claim->access_modes : nullptr)) {
    Add(children, "v1", "PersistentVolumeClaim", mattermost.name, std::move(pvc));
  }
  if (stop(CheckLicenseSecret(mattermost, facts))) return state;
  rapidjson::Document service = BuildService(mattermost);
  state.service_patch = ApplyServicePatch(mattermost, service);
  Add(children, "v1", "Service", mattermost.name, std::move(service));
  if (auto account = BuildServiceAccount(mattermost)) {
    Add(children, "v1", "ServiceAccount", mattermost.name, std::move(account));
  }
  Add(children, "rbac.authorization.k8s.io/v1", "Role", mattermost.name, BuildRole(mattermost));
  Add(children, "rbac.authorization.k8s.io/v1", "RoleBinding", mattermost.name,
      BuildRoleBinding(mattermost));
  if (IngressManaged(mattermost)) {
    Add(children, "networking.k8s.io/v1", "IngressClass", mattermost.name,
        BuildIngressClass(mattermost));
    Add(children, "networking.k8s.io/v1", "Ingress", mattermost.name, BuildIngress(mattermost));
  }
  rapidjson::Document deployment = BuildDeployment(mattermost, facts);
  state.deployment_patch = ApplyDeploymentPatch(mattermost, deployment);
  Add(children, "apps/v1", "Deployment", mattermost.name, std::move(deployment));
  std::optional<rapidjson::Document> job_server;
  if (mattermost.spec.dedicated_job_server) {
    job_server = BuildJobServerDeployment(mattermost, facts);
    if (auto status = ApplyDeploymentPatch(mattermost, *job_server))
      state.deployment_patch = status;
  }
  Add(children, "apps/v1", "Deployment", mattermost.name + "-jobserver", std::move(job_server));
  return state;
}

}  // namespace mm
