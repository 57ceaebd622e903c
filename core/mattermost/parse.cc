#include "core/mattermost/parse.h"

#include <memory>

#include "core/json.h"
#include "core/json_reader.h"

namespace mm {
namespace {

std::vector<std::string> HostNames(const JsonReader& parent) {
  std::vector<std::string> hosts;
  for (const JsonReader& host : parent.Objects("hosts")) hosts.push_back(host.String("hostName"));
  return hosts;
}

// `read(<the object at key>)` when `parent` has that object, else std::nullopt.
template <typename Read>
auto IfPresent(const JsonReader& parent, std::string_view key, Read read)
    -> std::optional<decltype(read(parent))> {
  JsonReader object = parent.Object(key);
  if (!object.present()) return std::nullopt;
  return read(object);
}

IngressSpec ReadIngress(const JsonReader& in) {
  return IngressSpec{.enabled = in.Bool("enabled"),
                     .host = in.String("host"),
                     .hosts = HostNames(in),
                     .annotations = in.StringMap("annotations").value_or(StringMap{}),
                     .tls_secret = in.String("tlsSecret"),
                     .ingress_class = in.OptionalString("ingressClass")};
}

AwsLoadBalancerSpec ReadAwsLoadBalancer(const JsonReader& alb) {
  return AwsLoadBalancerSpec{.enabled = alb.Bool("enabled"),
                             .certificate_arn = alb.String("certificateARN"),
                             .internet_facing = alb.Bool("internetFacing"),
                             .hosts = HostNames(alb),
                             .ingress_class_name = alb.String("ingressClassName"),
                             .annotations = alb.StringMap("annotations").value_or(StringMap{})};
}

OperatorManagedDatabase ReadOperatorManagedDatabase(const JsonReader& managed) {
  return OperatorManagedDatabase{
      .type = managed.String("type"),
      .storage_size = managed.String("storageSize"),
      .replicas = managed.Int32("replicas"),
      .resources = managed.AnyObject("resources"),
      .init_bucket_url = managed.String("initBucketURL"),
      .backup_schedule = managed.String("backupSchedule"),
      .backup_url = managed.String("backupURL"),
      .backup_remote_delete_policy = managed.String("backupRemoteDeletePolicy"),
      .backup_secret_name = managed.String("backupSecretName"),
      .backup_restore_secret_name = managed.String("backupRestoreSecretName"),
      .version = managed.String("version")};
}

DatabaseSpec ReadDatabase(const JsonReader& spec) {
  JsonReader db = spec.Object("database");
  DatabaseSpec out;
  out.external_secret = IfPresent(
      db, "external", [](const JsonReader& external) { return external.String("secret"); });
  out.operator_managed = IfPresent(db, "operatorManaged", ReadOperatorManagedDatabase);
  out.disable_readiness_check = db.Bool("disableReadinessCheck");
  out.readiness_check = IfPresent(db, "readinessCheck", [](const JsonReader& check) {
    return ReadinessCheck{.mode = check.String("mode"), .timeout = check.String("timeout")};
  });
  return out;
}

FileStoreSpec ReadFileStore(const JsonReader& spec) {
  JsonReader fs = spec.Object("fileStore");
  FileStoreSpec out;
  out.external = IfPresent(fs, "external", [](const JsonReader& external) {
    return ExternalFileStore{.url = external.String("url"),
                             .bucket = external.String("bucket"),
                             .secret = external.String("secret"),
                             .use_service_account = external.Bool("useServiceAccount")};
  });
  out.external_volume_claim = IfPresent(fs, "externalVolume", [](const JsonReader& volume) {
    return volume.String("volumeClaimName");
  });
  out.local = IfPresent(fs, "local", [](const JsonReader& local) {
    return LocalFileStore{
        .enabled = local.Bool("enabled"),
        .storage_size = local.String("storageSize"),
        .access_modes = local.StringList("accessModes").value_or(std::vector<std::string>{})};
  });
  out.operator_managed = IfPresent(fs, "operatorManaged", [](const JsonReader& managed) {
    return OperatorManagedFileStore{.storage_size = managed.String("storageSize"),
                                    .replicas = managed.Int32("replicas"),
                                    .resources = managed.AnyObject("resources")};
  });
  return out;
}

PodTemplateSpec ReadPodTemplate(const JsonReader& pod) {
  return PodTemplateSpec{
      .command = pod.StringList("command"),
      .security_context = pod.AnyObject("securityContext"),
      .container_security_context = pod.AnyObject("containerSecurityContext"),
      .extra_annotations = pod.StringMap("extraAnnotations").value_or(StringMap{}),
      .extra_labels = pod.StringMap("extraLabels").value_or(StringMap{})};
}

ResourcePatchEntry ReadPatch(const JsonReader& patch) {
  return ResourcePatchEntry{.disable = patch.Bool("disable"), .patch = patch.String("patch")};
}

void ReadIngressSettings(const JsonReader& spec, MattermostSpec& out) {
  out.ingress_annotations = spec.StringMap("ingressAnnotations").value_or(StringMap{});
  out.use_ingress_tls = spec.Bool("useIngressTLS");
  out.use_service_load_balancer = spec.Bool("useServiceLoadBalancer");
  out.service_annotations = spec.StringMap("serviceAnnotations").value_or(StringMap{});
  out.resource_labels = spec.StringMap("resourceLabels");
  out.ingress = IfPresent(spec, "ingress", ReadIngress);
  out.aws_load_balancer = IfPresent(spec, "awsLoadBalancerController", ReadAwsLoadBalancer);
}

void ReadElasticsearch(const JsonReader& spec, MattermostSpec& out) {
  JsonReader es = spec.Object("elasticSearch");
  out.elasticsearch_host = es.String("host");
  out.elasticsearch_username = es.String("username");
  out.elasticsearch_password = es.String("password");
}

void ReadSchedulingAndProbes(const JsonReader& spec, MattermostSpec& out) {
  JsonReader scheduling = spec.Object("scheduling");
  out.resources = scheduling.AnyObject("resources");
  out.node_selector = scheduling.AnyObject("nodeSelector");
  out.affinity = scheduling.AnyObject("affinity");
  out.tolerations = scheduling.Array("tolerations");
  JsonReader probes = spec.Object("probes");
  out.liveness_probe = probes.AnyObject("livenessProbe");
  out.readiness_probe = probes.AnyObject("readinessProbe");
}

void ReadJobSettings(const JsonReader& spec, MattermostSpec& out) {
  JsonReader deployment = spec.Object("deploymentTemplate");
  out.deployment_strategy_type = deployment.String("deploymentStrategyType");
  out.revision_history_limit = deployment.Int32("revisionHistoryLimit");
  JsonReader update_job = spec.Object("updateJob");
  out.update_job_disabled = update_job.Bool("disabled");
  out.update_job_extra_annotations = update_job.StringMap("extraAnnotations").value_or(StringMap{});
  out.update_job_extra_labels = update_job.StringMap("extraLabels").value_or(StringMap{});
  out.dedicated_job_server = spec.Object("jobServer").Bool("dedicatedJobServer");
}

void ReadPodExtensions(const JsonReader& spec, MattermostSpec& out) {
  JsonReader extensions = spec.Object("podExtensions");
  out.init_containers = extensions.Array("initContainers");
  out.sidecar_containers = extensions.Array("sidecarContainers");
  out.container_ports = extensions.Array("containerPorts");
}

void ReadResourcePatches(const JsonReader& spec, MattermostSpec& out) {
  JsonReader patches = spec.Object("resourcePatch");
  out.service_patch = IfPresent(patches, "service", ReadPatch);
  out.deployment_patch = IfPresent(patches, "deployment", ReadPatch);
}

// Which fields ReadSpec reads: all, or only those DefaultMattermost may write and those holding
// views into the document (ParseDefaulted keeps the others from the resource as parsed before
// defaulting).
enum class Fields { kAll, kDefaultedAndViews };

// Reads the fields in one fixed order, because problems are reported in the order they are
// found. The lines under `if (all)` read fields that defaulting never writes and that hold no
// view; every other line reads a defaulted field or a view.
void ReadSpec(const JsonReader& spec, Fields fields, MattermostSpec& out) {
  const bool all = fields == Fields::kAll;
  out.size = spec.String("size");
  out.image = spec.String("image");
  out.version = spec.String("version");
  out.replicas = spec.Int32("replicas");
  out.mattermost_env = spec.Array("mattermostEnv");
  if (all) out.license_secret = spec.String("licenseSecret");
  out.ingress_name = spec.String("ingressName");
  if (all) ReadIngressSettings(spec, out);
  out.volumes = spec.Array("volumes");
  out.volume_mounts = spec.Array("volumeMounts");
  out.image_pull_policy = spec.String("imagePullPolicy");
  out.image_pull_secrets = spec.Array("imagePullSecrets");
  out.dns_config = spec.AnyObject("dnsConfig");
  if (all) out.dns_policy = spec.String("dnsPolicy");
  out.database = ReadDatabase(spec);
  out.file_store = ReadFileStore(spec);
  if (all) ReadElasticsearch(spec, out);
  ReadSchedulingAndProbes(spec, out);
  out.pod_template = IfPresent(spec, "podTemplate", ReadPodTemplate);
  if (all) ReadJobSettings(spec, out);
  ReadPodExtensions(spec, out);
  if (all) ReadResourcePatches(spec, out);
}

}  // namespace

Error InvalidError(const std::string& what, const std::vector<std::string>& problems) {
  std::string message = what + " is invalid:";
  for (const std::string& problem : problems) message += "\n  - " + problem;
  return Error::Invalid(message);
}

Result<Mattermost> ParseMattermost(std::shared_ptr<const rapidjson::Document> document) {
  std::vector<std::string> problems;
  if (!document->IsObject()) return Error::Invalid("Mattermost: expected a JSON object");
  JsonReader root(document.get(), "", &problems);
  std::string_view api_version = root.StringView("apiVersion");
  std::string_view kind = root.StringView("kind");
  if (api_version != kMattermostApiVersion || kind != kMattermostKind) {
    return Error::Invalid("expected apiVersion " + std::string(kMattermostApiVersion) +
                          " kind Mattermost, got apiVersion \"" + std::string(api_version) +
                          "\" kind \"" + std::string(kind) + "\"");
  }
  JsonReader metadata = root.Object("metadata");
  Mattermost mattermost;
  mattermost.name = metadata.String("name");
  mattermost.namespace_ = metadata.String("namespace");
  mattermost.uid = metadata.String("uid");
  mattermost.generation = metadata.Int64("generation").value_or(0);
  if (mattermost.name.empty()) metadata.Problem("name", "required");
  ReadSpec(root.Object("spec"), Fields::kAll, mattermost.spec);
  if (!problems.empty()) return InvalidError("Mattermost \"" + mattermost.name + "\"", problems);
  mattermost.document = std::move(document);
  return mattermost;
}

Result<Mattermost> ParseMattermost(rapidjson::Document document) {
  return ParseMattermost(std::make_shared<const rapidjson::Document>(std::move(document)));
}

Result<Mattermost> ParseDefaulted(Mattermost parsed, rapidjson::Document defaulted) {
  if (!defaulted.IsObject()) return Error::Invalid("Mattermost: expected a JSON object");
  // Every view into the old document is read again below, before any is used.
  parsed.document = std::make_shared<const rapidjson::Document>(std::move(defaulted));
  std::vector<std::string> problems;
  JsonReader root(parsed.document.get(), "", &problems);
  ReadSpec(root.Object("spec"), Fields::kDefaultedAndViews, parsed.spec);
  if (!problems.empty()) return InvalidError("Mattermost \"" + parsed.name + "\"", problems);
  return parsed;
}

}  // namespace mm
