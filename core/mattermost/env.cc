#include "core/mattermost/env.h"

#include <cstdlib>
#include <iterator>

#include "core/json.h"
#include "core/mattermost/database.h"
#include "core/mattermost/file_store.h"

namespace mm {
namespace {

constexpr int64_t kSizeMB = 1048576;
constexpr int64_t kSizeGB = 1048576000;  // the operator's "GB" is 1000 MiB
constexpr char kBodySizeAnnotation[] = "nginx.ingress.kubernetes.io/proxy-body-size";

std::vector<EnvEntry> ElasticsearchEnv(const MattermostSpec& spec) {
  if (spec.elasticsearch_host.empty()) return {};
  return {PlainEnv("MM_ELASTICSEARCHSETTINGS_ENABLEINDEXING", "true"),
          PlainEnv("MM_ELASTICSEARCHSETTINGS_ENABLESEARCHING", "true"),
          PlainEnv("MM_ELASTICSEARCHSETTINGS_CONNECTIONURL", spec.elasticsearch_host),
          PlainEnv("MM_ELASTICSEARCHSETTINGS_USERNAME", spec.elasticsearch_username),
          PlainEnv("MM_ELASTICSEARCHSETTINGS_PASSWORD", spec.elasticsearch_password)};
}

std::vector<EnvEntry> GeneralEnv(const Mattermost& mattermost) {
  std::vector<EnvEntry> env;
  env.reserve(10);
  env = {
      PlainEnv("MM_PLUGINSETTINGS_ENABLEUPLOADS", "true"),
      PlainEnv("MM_METRICSSETTINGS_ENABLE", "true"),
      PlainEnv("MM_METRICSSETTINGS_LISTENADDRESS", ":8067"),
      PlainEnv("MM_CLUSTERSETTINGS_ENABLE", "true"),
      PlainEnv("MM_CLUSTERSETTINGS_CLUSTERNAME", "production"),
      PlainEnv("MM_INSTALL_TYPE", "kubernetes-operator"),
  };
  if (!mattermost.IngressHost().empty()) {
    env.push_back(PlainEnv("MM_SERVICESETTINGS_SITEURL", "https://" + mattermost.IngressHost()));
  }
  env.push_back(PlainEnv("MM_FILESETTINGS_MAXFILESIZE", MaxFileSize(mattermost)));
  if (mattermost.spec.dedicated_job_server)
    env.push_back(PlainEnv("MM_JOBSETTINGS_RUNJOBS", "false"));
  if (!mattermost.spec.license_secret.empty()) {
    env.push_back(
        PlainEnv("MM_SERVICESETTINGS_LICENSEFILELOCATION", "/mattermost-license/license"));
  }
  return env;
}

// Go's strconv.Atoi with the error ignored: an optional sign and decimal digits, else 0.
int64_t AtoiOrZero(const std::string& text) {
  if (text.empty()) return 0;
  size_t start = text[0] == '+' || text[0] == '-' ? 1 : 0;
  if (start == text.size() || text.size() > 18) return 0;
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return 0;
  }
  return std::strtoll(text.c_str(), nullptr, 10);
}

}  // namespace

EnvEntry PlainEnv(Json name, Json value) {
  std::string_view view = name.text();  // the text stays where it is: in the object below
  bool has_value = !value.text().empty();
  return {view, Json::Object(
                    {{"name", std::move(name)}, {"value", Json::If(has_value, std::move(value))}})};
}

EnvEntry SecretEnv(Json name, Json secret, Json key) {
  std::string_view view = name.text();
  return {view, Json::Object(
                    {{"name", std::move(name)},
                     {"valueFrom",
                      Json::Object({{"secretKeyRef", Json::Object({{"name", std::move(secret)},
                                                                   {"key", std::move(key)}})}})}})};
}

std::string MaxFileSize(const Mattermost& mattermost) {
  std::string fallback = std::to_string(1000 * kSizeMB);
  if (mattermost.spec.use_service_load_balancer) return fallback;
  const StringMap& annotations = mattermost.IngressAnnotations();
  auto it = annotations.find(kBodySizeAnnotation);
  // QUIRK fixed: an empty value panics the operator (index -1); we use the default.
  if (it == annotations.end() || it->second.empty()) return fallback;
  const std::string& size = it->second;
  int64_t number = AtoiOrZero(size.substr(0, size.size() - 1));
  switch (size.back()) {
    case 'M':
    case 'm':
      return std::to_string(number * kSizeMB);
    case 'G':
    case 'g':
      return std::to_string(number * kSizeGB);
    default:
      return fallback;
  }
}

void MergeEnv(std::vector<EnvEntry>& env, const rapidjson::Value* user) {
  if (user == nullptr || !user->IsArray()) return;
  for (const rapidjson::Value& var : user->GetArray()) {
    const rapidjson::Value* member = FindMember(var, "name");
    std::string_view name;
    if (member != nullptr && member->IsString())
      name = {member->GetString(), member->GetStringLength()};
    bool replaced = false;
    for (EnvEntry& entry : env) {
      if (entry.name == name) {
        entry.value = Json::Copy(&var);
        replaced = true;
      }
    }
    if (!replaced) env.push_back({name, Json::Copy(&var)});
  }
}

std::vector<EnvEntry> MattermostEnv(const Mattermost& mattermost, const ClusterFacts& facts) {
  std::vector<EnvEntry> env = DatabaseEnv(mattermost, facts);
  env.reserve(32);  // room for every group: appending never moves the entries again
  auto append = [&env](std::vector<EnvEntry> group) {
    std::move(group.begin(), group.end(), std::back_inserter(env));
  };
  append(FileStoreEnv(mattermost, facts));
  append(ElasticsearchEnv(mattermost.spec));
  append(GeneralEnv(mattermost));
  MergeEnv(env, mattermost.spec.mattermost_env);
  return env;
}

Json EnvArray(std::vector<EnvEntry> env) {
  std::vector<Json> items;
  items.reserve(env.size());
  for (EnvEntry& entry : env) items.push_back(std::move(entry.value));
  return Json::Array(std::move(items));
}

}  // namespace mm
