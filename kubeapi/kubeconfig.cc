#include "kubeapi/kubeconfig.h"

#include "core/json.h"
#include "core/yaml.h"
#include "kubeapi/base64.h"
#include "kubeapi/file_util.h"

namespace mm::kubeapi {
namespace {

using rapidjson::Value;

// Reads typed fields out of one JSON object, recording the first type error with its path.
class FieldReader {
 public:
  FieldReader(const Value* object, std::string path, std::optional<std::string>& error)
      : object_(object), path_(std::move(path)), error_(error) {
    if (object_ != nullptr && !object_->IsObject() && !object_->IsNull()) {
      Fail(path_, "expected a mapping");
      object_ = nullptr;
    }
  }

  std::string String(std::string_view key) {
    const Value* value = Find(key);
    if (value == nullptr) return {};
    if (!value->IsString()) return Fail(Path(key), "expected a string"), std::string();
    return {value->GetString(), value->GetStringLength()};
  }

  bool Bool(std::string_view key) {
    const Value* value = Find(key);
    if (value == nullptr) return false;
    if (!value->IsBool()) return Fail(Path(key), "expected true or false"), false;
    return value->GetBool();
  }

  // A base64 *-data field, decoded.
  std::string Data(std::string_view key) {
    std::string encoded = String(key);
    std::optional<std::string> decoded = Base64Decode(encoded);
    if (!decoded) return Fail(Path(key), "illegal base64 data"), std::string();
    return std::move(*decoded);
  }

  std::vector<std::string> Strings(std::string_view key) {
    std::vector<std::string> out;
    const Value* value = Find(key);
    if (value == nullptr) return out;
    if (!value->IsArray()) return Fail(Path(key), "expected a list of strings"), out;
    for (const Value& item : value->GetArray()) {
      if (!item.IsString()) return Fail(Path(key), "expected a list of strings"), out;
      out.emplace_back(item.GetString(), item.GetStringLength());
    }
    return out;
  }

  const Value* Find(std::string_view key) const {
    if (object_ == nullptr) return nullptr;
    const Value* value = FindMember(*object_, key);
    return value == nullptr || value->IsNull() ? nullptr : value;
  }
  std::string Path(std::string_view key) const { return path_ + "." + std::string(key); }
  void Fail(const std::string& path, const std::string& problem) {
    if (!error_) error_ = path + ": " + problem;
  }

 private:
  const Value* object_;
  std::string path_;
  std::optional<std::string>& error_;
};

ExecConfig ReadExec(FieldReader& exec, const std::string& dir, std::optional<std::string>& error) {
  ExecConfig config;
  config.api_version = exec.String("apiVersion");
  config.command = exec.String("command");
  if (config.command.find('/') != std::string::npos)
    config.command = ResolvePath(dir, config.command);
  config.args = exec.Strings("args");
  config.interactive_mode = exec.String("interactiveMode");
  config.provide_cluster_info = exec.Bool("provideClusterInfo");
  config.install_hint = exec.String("installHint");
  if (const Value* env = exec.Find("env"); env != nullptr) {
    if (!env->IsArray()) {
      exec.Fail(exec.Path("env"), "expected a list");
      return config;
    }
    for (const Value& item : env->GetArray()) {
      FieldReader var(&item, exec.Path("env[]"), error);
      config.env.push_back({var.String("name"), var.String("value")});
    }
  }
  return config;
}

ClusterEntry ReadCluster(FieldReader& cluster, const std::string& dir,
                         std::optional<std::string>& error) {
  ClusterEntry entry;
  entry.server = cluster.String("server");
  entry.certificate_authority = ResolvePath(dir, cluster.String("certificate-authority"));
  entry.certificate_authority_data = cluster.Data("certificate-authority-data");
  entry.insecure_skip_tls_verify = cluster.Bool("insecure-skip-tls-verify");
  entry.tls_server_name = cluster.String("tls-server-name");
  entry.proxy_url = cluster.String("proxy-url");
  entry.disable_compression = cluster.Bool("disable-compression");
  if (const Value* extensions = cluster.Find("extensions");
      extensions != nullptr && extensions->IsArray()) {
    for (const Value& item : extensions->GetArray()) {
      FieldReader named(&item, cluster.Path("extensions[]"), error);
      const Value* extension = named.Find("extension");
      if (named.String("name") == "client.authentication.k8s.io/exec" && extension != nullptr) {
        entry.exec_extension_json = ToJson(*extension);
      }
    }
  }
  return entry;
}

AuthInfoEntry ReadUser(FieldReader& user, const std::string& dir,
                       std::optional<std::string>& error) {
  AuthInfoEntry entry;
  entry.client_certificate = ResolvePath(dir, user.String("client-certificate"));
  entry.client_certificate_data = user.Data("client-certificate-data");
  entry.client_key = ResolvePath(dir, user.String("client-key"));
  entry.client_key_data = SecretString(user.Data("client-key-data"));
  entry.token = SecretString(user.String("token"));
  entry.token_file = ResolvePath(dir, user.String("tokenFile"));
  entry.username = user.String("username");
  entry.password = SecretString(user.String("password"));
  entry.impersonate = user.String("as");
  entry.impersonate_uid = user.String("as-uid");
  entry.impersonate_groups = user.Strings("as-groups");
  if (const Value* extra = user.Find("as-user-extra"); extra != nullptr && extra->IsObject()) {
    FieldReader extras(extra, user.Path("as-user-extra"), error);
    for (const auto& member : extra->GetObject()) {
      std::string key(member.name.GetString(), member.name.GetStringLength());
      entry.impersonate_extra[key] = extras.Strings(key);
    }
  }
  if (const Value* exec = user.Find("exec"); exec != nullptr) {
    FieldReader exec_reader(exec, user.Path("exec"), error);
    entry.exec = ReadExec(exec_reader, dir, error);
  }
  if (const Value* provider = user.Find("auth-provider"); provider != nullptr) {
    FieldReader provider_reader(provider, user.Path("auth-provider"), error);
    entry.auth_provider_name = provider_reader.String("name");
    FieldReader config(provider_reader.Find("config"), user.Path("auth-provider.config"), error);
    entry.auth_provider_id_token = SecretString(config.String("id-token"));
  }
  return entry;
}

// Reads a list of {name: N, <field>: {...}} entries, keeping the first of duplicated names.
template <typename Entry, typename ReadEntry>
void ReadNamedList(FieldReader& root, std::string_view list, std::string_view field,
                   std::map<std::string, Entry>& out, std::optional<std::string>& error,
                   ReadEntry read_entry) {
  const Value* items = root.Find(list);
  if (items == nullptr) return;
  if (!items->IsArray()) return root.Fail(root.Path(list), "expected a list");
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    std::string path = std::string(list) + "[" + std::to_string(i) + "]";
    FieldReader item(&(*items)[i], path, error);
    std::string name = item.String("name");
    FieldReader body(item.Find(field), path + "." + std::string(field), error);
    Entry entry = read_entry(body);
    out.insert_or_assign(name, std::move(entry));  // within one file the last wins, as in Go
  }
}

}  // namespace

Result<Kubeconfig> ParseKubeconfig(std::string_view text, const std::string& path) {
  const std::string prefix = "error loading config file \"" + path + "\": ";
  Result<std::vector<rapidjson::Document>> documents = ParseYamlDocuments(text, "yaml");
  if (!documents) return Error::Config(prefix + documents.error().message());
  Kubeconfig config;
  if (documents->empty()) return config;
  const std::string dir = AbsoluteDirectoryOf(path);
  std::optional<std::string> error;
  FieldReader root(&(*documents)[0], "", error);
  config.current_context = root.String("current-context");
  ReadNamedList(root, "clusters", "cluster", config.clusters, error,
                [&](FieldReader& body) { return ReadCluster(body, dir, error); });
  ReadNamedList(root, "users", "user", config.users, error,
                [&](FieldReader& body) { return ReadUser(body, dir, error); });
  ReadNamedList(root, "contexts", "context", config.contexts, error, [](FieldReader& body) {
    return ContextEntry{body.String("cluster"), body.String("user"), body.String("namespace")};
  });
  if (error) {
    std::string where = error->front() == '.' ? error->substr(1) : *error;
    return Error::Config(prefix + where);
  }
  return config;
}

void MergeKubeconfig(Kubeconfig& merged, Kubeconfig next) {
  if (merged.current_context.empty()) merged.current_context = std::move(next.current_context);
  // std::map::insert keeps the existing entry: the first file wins, as a whole entry.
  merged.clusters.insert(std::make_move_iterator(next.clusters.begin()),
                         std::make_move_iterator(next.clusters.end()));
  merged.users.insert(std::make_move_iterator(next.users.begin()),
                      std::make_move_iterator(next.users.end()));
  merged.contexts.insert(std::make_move_iterator(next.contexts.begin()),
                         std::make_move_iterator(next.contexts.end()));
}

}  // namespace mm::kubeapi
