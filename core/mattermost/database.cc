#include "core/mattermost/database.h"

#include <algorithm>
#include <cctype>

#include "core/go_duration.h"
#include "core/mattermost/wait_container.h"
#include "core/md5.h"

namespace mm {
namespace {

constexpr char kPostgresImage[] = "postgres:13";
constexpr char kConnectionString[] = "DB_CONNECTION_STRING";
constexpr char kCheckUrl[] = "DB_CONNECTION_CHECK_URL";
constexpr char kDatasource[] = "MM_SQLSETTINGS_DATASOURCE";
constexpr char kReplicas[] = "MM_SQLSETTINGS_DATASOURCEREPLICAS";
constexpr int64_t kDefaultReadinessTimeout = 5LL * 60 * 1000 * 1000 * 1000;

bool HasKey(const ClusterFacts& facts, const char* key) {
  return facts.external_db_secret.count(key) > 0;
}

// The key MM_SQLSETTINGS_DATASOURCE is read from: its own key when the secret has it.
Json DatasourceKey(const ClusterFacts& facts) {
  return HasKey(facts, kDatasource) ? Json(kDatasource) : Json(kConnectionString);
}

// "mysql", "postgres" or "unknown", from the connection string's prefix.
std::string DatabaseType(const ClusterFacts& facts) {
  auto it = facts.external_db_secret.find(kConnectionString);
  std::string value = it == facts.external_db_secret.end() ? "" : it->second;
  if (value.rfind("mysql", 0) == 0) return "mysql";
  if (value.rfind("postgres", 0) == 0) return "postgres";
  return "unknown";
}

std::string MysqlHost(const Mattermost& mattermost, const char* suffix) {
  return MysqlClusterName(mattermost.name) + suffix + "." + mattermost.namespace_ +
         ".svc.cluster.local:3306";
}

// The check-URL probe for the connection string's DB type; none for an unknown type.
std::optional<Json> ExternalCheckContainer(const std::string& secret, const ClusterFacts& facts) {
  std::string type = DatabaseType(facts);
  std::string script;
  std::string_view image;
  if (type == "mysql") {
    image = kCurlImage;
    script = CurlWaitScript("\"$DB_CONNECTION_CHECK_URL\"", "database");
  } else if (type == "postgres") {
    image = kPostgresImage;
    script =
        "until pg_isready --dbname=\"$DB_CONNECTION_CHECK_URL\"; do echo waiting for database; "
        "sleep 5; done;";
  } else {
    return std::nullopt;
  }
  return WaitContainer("init-check-database", image, std::move(script),
                       EnvArray({SecretEnv(kCheckUrl, secret, kCheckUrl)}));
}

Json BuiltinCheckContainer(const Mattermost& mattermost, const std::string& secret,
                           const ClusterFacts& facts) {
  int64_t timeout = kDefaultReadinessTimeout;
  const auto& check = mattermost.spec.database.readiness_check;
  if (check && !check->timeout.empty()) {
    timeout = ParseGoDuration(check->timeout).value_or(kDefaultReadinessTimeout);
  }
  Json env = EnvArray({SecretEnv("MM_CONFIG", secret, kConnectionString),
                       SecretEnv(kDatasource, secret, DatasourceKey(facts))});
  const std::string& pull_policy = mattermost.spec.image_pull_policy;
  return Json::Object(
      {{"name", "init-check-database"},
       {"image", mattermost.ImageRef()},
       {"command", Json::Array({"/mattermost/bin/mattermost"})},
       {"args", Json::Array({"db", "ping", "--timeout=" + FormatGoDuration(timeout)})},
       {"env", std::move(env)},
       {"imagePullPolicy", Json::If(!pull_policy.empty(), pull_policy)}});
}

bool IsSchemeChar(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) ||
         (!first &&
          (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'));
}

// Go's url.Parse, reduced to what the check needs: the lower-cased scheme and the hostname.
void SplitUrl(const std::string& url, std::string& scheme, std::string& hostname) {
  size_t colon = url.find(':');
  size_t rest = 0;
  if (colon != std::string::npos && colon > 0) {
    bool valid = true;
    for (size_t i = 0; i < colon; ++i) valid = valid && IsSchemeChar(url[i], i == 0);
    if (valid) {
      scheme = url.substr(0, colon);
      for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      rest = colon + 1;
    }
  }
  if (url.compare(rest, 2, "//") != 0) return;
  std::string authority = url.substr(rest + 2, url.find_first_of("/?#", rest + 2) - rest - 2);
  size_t at = authority.rfind('@');
  if (at != std::string::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority[0] == '[') {
    hostname = authority.substr(1, authority.find(']') - 1);
  } else {
    hostname = authority.substr(0, authority.find(':'));
  }
}

std::string TrimSpace(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r\n\v\f");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n\v\f") - begin + 1);
}

Result<void> CheckUrl(const std::string& raw, const std::string& type) {
  std::string url = TrimSpace(raw);
  if (url.empty()) return Error::Invalid("URL is empty");
  std::string scheme;
  std::string hostname;
  SplitUrl(url, scheme, hostname);
  std::vector<std::string> allowed = {"http", "https"};
  if (type == "postgres") allowed.push_back("postgres");
  if (type == "unknown") allowed.insert(allowed.end(), {"mysql", "postgres"});
  if (std::find(allowed.begin(), allowed.end(), scheme) == allowed.end()) {
    return Error::Invalid("scheme \"" + scheme + "\" is not allowed for database type \"" + type +
                          "\"");
  }
  if (hostname.empty()) return Error::Invalid("URL must contain a hostname");
  return {};
}

}  // namespace

Result<void> CheckExternalDatabaseSecret(const Mattermost& mattermost, const ClusterFacts& facts) {
  if (!mattermost.spec.database.IsExternal()) return {};
  auto connection = facts.external_db_secret.find(kConnectionString);
  if (connection == facts.external_db_secret.end()) {
    // Sic: the operator's message has this typo.
    return Error::Invalid("external database Secret does not containt DB_CONNECTION_STRING key");
  }
  if (connection->second.empty()) {
    return Error::Invalid("external database connection string is empty");
  }
  auto check = facts.external_db_secret.find(kCheckUrl);
  if (check != facts.external_db_secret.end()) {
    auto valid = CheckUrl(check->second, DatabaseType(facts));
    if (!valid) return valid.error().Wrap("invalid DB_CONNECTION_CHECK_URL");
  }
  return {};
}

std::string MysqlClusterName(const std::string& mattermost_name) {
  return "db-" + Md5Hex(mattermost_name).substr(0, 6);
}

std::string MysqlSecretName(const Mattermost& mattermost) {
  return mattermost.name + "-mysql-root-password";
}

std::vector<EnvEntry> DatabaseEnv(const Mattermost& mattermost, const ClusterFacts& facts) {
  if (mattermost.spec.database.IsExternal()) {
    Json secret = *mattermost.spec.database.external_secret;  // copied once, shared below
    std::vector<EnvEntry> env = {SecretEnv("MM_CONFIG", secret, kConnectionString),
                                 SecretEnv(kDatasource, secret, DatasourceKey(facts))};
    if (HasKey(facts, kReplicas)) env.push_back(SecretEnv(kReplicas, secret, kReplicas));
    return env;
  }
  Json secret = MysqlSecretName(mattermost);
  const std::string& db = facts.mysql_database;
  return {SecretEnv("MYSQL_USERNAME", secret, "USER"),
          SecretEnv("MYSQL_PASSWORD", secret, "PASSWORD"),
          PlainEnv(kReplicas, "$(MYSQL_USERNAME):$(MYSQL_PASSWORD)@tcp(" +
                                  MysqlHost(mattermost, "-mysql") + ")/" + db +
                                  "?readTimeout=30s&writeTimeout=30s"),
          PlainEnv("MM_CONFIG", "mysql://$(MYSQL_USERNAME):$(MYSQL_PASSWORD)@tcp(" +
                                    MysqlHost(mattermost, "-mysql-master") + ")/" + db +
                                    "?charset=utf8mb4,utf8&readTimeout=30s&writeTimeout=30s")};
}

std::vector<Json> DatabaseInitContainers(const Mattermost& mattermost, const ClusterFacts& facts) {
  const DatabaseSpec& db = mattermost.spec.database;
  if (db.disable_readiness_check) return {};
  if (!db.IsExternal()) {
    // The operator-managed MySQL check ignores readinessCheck.mode.
    return {
        WaitContainer("init-check-operator-mysql", kCurlImage,
                      CurlWaitScript("http://" + MysqlHost(mattermost, "-mysql-master"), "mysql"))};
  }
  std::string mode = db.readiness_check && !db.readiness_check->mode.empty()
                         ? db.readiness_check->mode
                         : "external";
  if (mode == "builtin") return {BuiltinCheckContainer(mattermost, *db.external_secret, facts)};
  if (!HasKey(facts, kCheckUrl)) return {};
  std::optional<Json> container = ExternalCheckContainer(*db.external_secret, facts);
  if (!container) return {};
  return {std::move(*container)};
}

}  // namespace mm
