#include "core/mattermost/file_store.h"

#include "core/mattermost/wait_container.h"

namespace mm {
namespace {

constexpr char kMinioMcImage[] = "minio/mc:RELEASE.2025-04-16T18-13-26Z";
constexpr char kDataVolume[] = "mattermost-data";
constexpr char kDataPath[] = "/mattermost/data";

std::string MinioSecretName(const Mattermost& mattermost) { return mattermost.name + "-minio"; }

std::vector<EnvEntry> S3Env(Json bucket, Json url, bool ssl, std::string_view secret) {
  std::vector<EnvEntry> env = {PlainEnv("MM_FILESETTINGS_DRIVERNAME", "amazons3"),
                               PlainEnv("MM_FILESETTINGS_AMAZONS3BUCKET", std::move(bucket)),
                               PlainEnv("MM_FILESETTINGS_AMAZONS3ENDPOINT", std::move(url)),
                               PlainEnv("MM_FILESETTINGS_AMAZONS3SSL", ssl ? "true" : "false")};
  if (!secret.empty()) {
    Json secret_name = secret;  // copied once, shared by both entries
    env.push_back(SecretEnv("MM_FILESETTINGS_AMAZONS3ACCESSKEYID", secret_name, "accesskey"));
    env.push_back(SecretEnv("MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY", secret_name, "secretkey"));
  }
  return env;
}

// The claim behind /mattermost/data: `<mm>` for the local store, the user's claim for an
// external volume, "" otherwise.
std::string DataClaimName(const Mattermost& mattermost) {
  switch (mattermost.spec.file_store.Mode()) {
    case FileStoreMode::kLocal:
      return mattermost.name;
    case FileStoreMode::kExternalVolume:
      return *mattermost.spec.file_store.external_volume_claim;
    default:
      return "";
  }
}

}  // namespace

std::string MinioUrl(const Mattermost& mattermost, const ClusterFacts& facts) {
  return mattermost.name + "-minio-hl-svc." + mattermost.namespace_ +
         ".svc.cluster.local:" + std::to_string(facts.minio_service_port);
}

std::vector<EnvEntry> FileStoreEnv(const Mattermost& mattermost, const ClusterFacts& facts) {
  const FileStoreSpec& store = mattermost.spec.file_store;
  switch (store.Mode()) {
    case FileStoreMode::kExternal:
      return S3Env(store.external->bucket, store.external->url, true,
                   store.external->use_service_account ? "" : store.external->secret);
    case FileStoreMode::kOperatorManaged:
      return S3Env(mattermost.name, MinioUrl(mattermost, facts), false,
                   MinioSecretName(mattermost));
    default:
      return {PlainEnv("MM_FILESETTINGS_DRIVERNAME", "local"),
              PlainEnv("MM_FILESETTINGS_DIRECTORY", kDataPath)};
  }
}

std::vector<Json> FileStoreInitContainers(const Mattermost& mattermost, const ClusterFacts& facts) {
  if (mattermost.spec.file_store.Mode() != FileStoreMode::kOperatorManaged) return {};
  std::string url = MinioUrl(mattermost, facts);
  std::string secret = MinioSecretName(mattermost);
  return {
      Json::Object(
          {{"name", "create-minio-bucket"},
           {"image", kMinioMcImage},
           {"command", Json::Array({"/bin/sh", "-c",
                                    "mc config host add localminio http://" + url +
                                        " $(MINIO_ACCESS_KEY) $(MINIO_SECRET_KEY) && mc mb "
                                        "localminio/" +
                                        mattermost.name + " -q -p"})},
           {"env", EnvArray({SecretEnv("MINIO_ACCESS_KEY", secret, "accesskey"),
                             SecretEnv("MINIO_SECRET_KEY", secret, "secretkey")})},
           {"imagePullPolicy", "IfNotPresent"}}),
      WaitContainer("init-check-minio", kCurlImage,
                    CurlWaitScript("http://" + url + "/minio/health/ready", "minio")),
  };
}

Json FileStoreVolume(const Mattermost& mattermost) {
  std::string claim = DataClaimName(mattermost);
  if (claim.empty()) return Json::Omit();
  return Json::Object(
      {{"name", kDataVolume}, {"persistentVolumeClaim", Json::Object({{"claimName", claim}})}});
}

Json FileStoreVolumeMount(const Mattermost& mattermost) {
  if (DataClaimName(mattermost).empty()) return Json::Omit();
  return Json::Object({{"name", kDataVolume}, {"mountPath", kDataPath}});
}

}  // namespace mm
