#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mm {

// The Mattermost custom resource (installation.mattermost.com/v1beta1) as a typed, read-only view
// over its JSON document. The document is the source of truth: parsing never drops a field, so
// unknown fields and explicit zeros (`replicas: 0`) survive a read-modify-write. Fields that are
// embedded Kubernetes types (volumes, affinity, probes, resources, containers...) are pointers
// into the document (nullptr when absent); they stay valid as long as the Mattermost lives.
// Equality compares those views, and the document, by address: two Mattermosts are equal when
// they hold the same values read from the same document (what tests of the parser need).

using StringMap = std::map<std::string, std::string>;  // sorted, as Go serializes maps

struct IngressSpec {
  bool enabled = false;
  std::string host;
  std::vector<std::string> hosts;  // hosts[*].hostName
  StringMap annotations;
  std::string tls_secret;
  std::optional<std::string> ingress_class;

  bool operator==(const IngressSpec&) const = default;
};

struct AwsLoadBalancerSpec {
  bool enabled = false;
  std::string certificate_arn;
  bool internet_facing = false;
  std::vector<std::string> hosts;  // hosts[*].hostName
  std::string ingress_class_name;
  StringMap annotations;

  bool operator==(const AwsLoadBalancerSpec&) const = default;
};

struct OperatorManagedDatabase {
  std::string type;
  std::string storage_size;
  std::optional<int32_t> replicas;
  const rapidjson::Value* resources = nullptr;
  std::string init_bucket_url;
  std::string backup_schedule;
  std::string backup_url;
  std::string backup_remote_delete_policy;
  std::string backup_secret_name;
  std::string backup_restore_secret_name;
  std::string version;

  bool operator==(const OperatorManagedDatabase&) const = default;
};

struct ReadinessCheck {
  std::string mode;     // "", "external" or "builtin"
  std::string timeout;  // Go duration string; "" = 5m

  bool operator==(const ReadinessCheck&) const = default;
};

struct DatabaseSpec {
  std::optional<std::string> external_secret;  // database.external.secret (external present)
  std::optional<OperatorManagedDatabase> operator_managed;
  bool disable_readiness_check = false;
  std::optional<ReadinessCheck> readiness_check;

  // External mode only when external.secret is non-empty.
  bool IsExternal() const { return external_secret.has_value() && !external_secret->empty(); }

  bool operator==(const DatabaseSpec&) const = default;
};

struct ExternalFileStore {
  std::string url;
  std::string bucket;
  std::string secret;
  bool use_service_account = false;

  bool operator==(const ExternalFileStore&) const = default;
};

struct LocalFileStore {
  bool enabled = false;
  std::string storage_size;
  std::vector<std::string> access_modes;

  bool operator==(const LocalFileStore&) const = default;
};

struct OperatorManagedFileStore {
  std::string storage_size;
  std::optional<int32_t> replicas;
  const rapidjson::Value* resources = nullptr;

  bool operator==(const OperatorManagedFileStore&) const = default;
};

// Which file store is active, in the operator's priority order (§1.1).
enum class FileStoreMode { kExternal, kExternalVolume, kLocal, kOperatorManaged };

struct FileStoreSpec {
  std::optional<ExternalFileStore> external;
  std::optional<std::string> external_volume_claim;  // externalVolume.volumeClaimName
  std::optional<LocalFileStore> local;
  std::optional<OperatorManagedFileStore> operator_managed;

  FileStoreMode Mode() const;

  bool operator==(const FileStoreSpec&) const = default;
};

struct PodTemplateSpec {
  std::optional<std::vector<std::string>> command;
  const rapidjson::Value* security_context = nullptr;
  const rapidjson::Value* container_security_context = nullptr;
  StringMap extra_annotations;
  StringMap extra_labels;

  bool operator==(const PodTemplateSpec&) const = default;
};

struct ResourcePatchEntry {
  bool disable = false;
  std::string patch;  // an RFC 6902 JSON array, as text

  bool operator==(const ResourcePatchEntry&) const = default;
};

struct MattermostSpec {
  std::string size;
  std::string image;
  std::string version;
  std::optional<int32_t> replicas;
  const rapidjson::Value* mattermost_env = nullptr;  // []EnvVar
  std::string license_secret;
  std::string ingress_name;
  StringMap ingress_annotations;
  bool use_ingress_tls = false;
  bool use_service_load_balancer = false;
  StringMap service_annotations;
  std::optional<StringMap> resource_labels;
  std::optional<IngressSpec> ingress;
  std::optional<AwsLoadBalancerSpec> aws_load_balancer;
  const rapidjson::Value* volumes = nullptr;
  const rapidjson::Value* volume_mounts = nullptr;
  std::string image_pull_policy;
  const rapidjson::Value* image_pull_secrets = nullptr;
  const rapidjson::Value* dns_config = nullptr;
  std::string dns_policy;
  DatabaseSpec database;
  FileStoreSpec file_store;
  std::string elasticsearch_host;
  std::string elasticsearch_username;
  std::string elasticsearch_password;
  const rapidjson::Value* resources = nullptr;  // scheduling.resources
  const rapidjson::Value* node_selector = nullptr;
  const rapidjson::Value* affinity = nullptr;
  const rapidjson::Value* tolerations = nullptr;
  const rapidjson::Value* liveness_probe = nullptr;   // probes.livenessProbe
  const rapidjson::Value* readiness_probe = nullptr;  // probes.readinessProbe
  std::optional<PodTemplateSpec> pod_template;
  std::string deployment_strategy_type;
  std::optional<int32_t> revision_history_limit;
  bool update_job_disabled = false;
  StringMap update_job_extra_annotations;
  StringMap update_job_extra_labels;
  bool dedicated_job_server = false;
  const rapidjson::Value* init_containers = nullptr;     // podExtensions.initContainers
  const rapidjson::Value* sidecar_containers = nullptr;  // podExtensions.sidecarContainers
  const rapidjson::Value* container_ports = nullptr;     // podExtensions.containerPorts
  std::optional<ResourcePatchEntry> service_patch;
  std::optional<ResourcePatchEntry> deployment_patch;

  bool operator==(const MattermostSpec&) const = default;
};

struct Mattermost {
  std::string name;
  std::string namespace_;
  std::string uid;
  int64_t generation = 0;
  MattermostSpec spec;
  // The whole resource as read; every pointer in `spec` points into it.
  std::shared_ptr<const rapidjson::Document> document;

  // Ingress enabled: spec.ingress.enabled when spec.ingress is set, true otherwise (§2.1).
  bool IngressEnabled() const;
  // spec.ingress.host when spec.ingress is set, else spec.ingressName.
  const std::string& IngressHost() const;
  // The user's nginx ingress annotations: spec.ingress.annotations, or ingressAnnotations when
  // spec.ingress is nil.
  const StringMap& IngressAnnotations() const;
  // The Ingress TLS secret: ingress.tlsSecret; without spec.ingress, `<host with - for .>-tls-cert`
  // when useIngressTLS; else "".
  std::string IngressTlsSecret() const;
  bool AwsLoadBalancerEnabled() const;
  // The main image reference: image:version, or image@version for a sha256: digest.
  std::string ImageRef() const;

  bool operator==(const Mattermost&) const = default;
};

}  // namespace mm
