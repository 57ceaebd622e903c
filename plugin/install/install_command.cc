#include "plugin/install/install_command.h"

#include <fstream>
#include <sstream>

#include "core/mattermost/defaults.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/sizes.h"
#include "core/yaml.h"
#include "kubeapi/duration.h"
#include "kubeapi/url_fetch.h"
#include "kubeapi/user_agent.h"
#include "manifests/manifests.h"
#include "plugin/build_info.h"
#include "plugin/install/installer.h"
#include "plugin/install/operator_install.h"

namespace mm {
namespace {

Result<std::string> ReadFile(const std::string& path, const std::string& flag) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Error::Usage((flag.empty() ? "" : flag + ": ") + "the path \"" + path +
                        "\" does not exist");
  }
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// A file's content without its final line break (files written by editors end with one).
std::string Chomp(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// Reads a manifest for `install operator`: an http(s) URL with a GET, anything else as a file.
Result<std::string> ReadManifestLocation(const std::string& location) {
  if (kubeapi::IsUrl(location)) {
    return kubeapi::FetchUrl(location, kubeapi::UserAgent(GetBuildInfo().git_version),
                             std::chrono::seconds(60));
  }
  return ReadFile(location, "");
}

Result<InstallMode> ParseMode(const std::string& text) {
  if (text == "auto") return InstallMode::kAuto;
  if (text == "operator") return InstallMode::kOperator;
  if (text == "client") return InstallMode::kClient;
  return Error::Usage("--mode must be one of auto, operator, client, got \"" + text + "\"");
}

}  // namespace

void InstallOptions::AddFlags(cxxopts::Options& options) {
  cxxopts::OptionAdder add = options.add_options();
  add("f,filename", "A Mattermost manifest to start from (flags override its fields).",
      cxxopts::value(filename_));
  add("create-namespace", "Create the namespace when it does not exist.",
      cxxopts::value(create_namespace_));
  add("size", "Size preset, one of: " + KnownSizeList() + ".", cxxopts::value(flags_.size));
  add("version", "Mattermost version (image tag), e.g. 10.8.1.", cxxopts::value(flags_.version));
  add("image", "Mattermost image (default mattermost/mattermost-enterprise-edition).",
      cxxopts::value(flags_.image));
  add("replicas", "App replicas (wins over the size's replicas; the size still sets resources).",
      cxxopts::value(replicas_text_));
  add("ingress-host", "Host name of the Ingress (and the site URL).",
      cxxopts::value(flags_.ingress_host));
  add("ingress-class", "IngressClass name.", cxxopts::value(flags_.ingress_class));
  add("tls-secret", "TLS secret of the Ingress.", cxxopts::value(flags_.tls_secret));
  add("database-secret", "Existing secret with DB_CONNECTION_STRING (external database).",
      cxxopts::value(flags_.database_secret));
  add("database-url-file",
      "File holding the database connection string; stored in secret NAME-database.",
      cxxopts::value(database_url_file_));
  add("filestore-s3-url", "S3 endpoint of an external file store.",
      cxxopts::value(flags_.filestore_s3_url));
  add("filestore-bucket", "Bucket of the external file store.",
      cxxopts::value(flags_.filestore_bucket));
  add("filestore-secret", "Existing secret with accesskey and secretkey for the S3 store.",
      cxxopts::value(flags_.filestore_secret));
  add("filestore-local", "Use a local PersistentVolumeClaim of this size (e.g. 10Gi).",
      cxxopts::value(flags_.filestore_local));
  add("license-file", "Mattermost license file; stored in secret NAME-license.",
      cxxopts::value(license_file_));
  add("env", "Extra environment variable NAME=VALUE (repeatable).", cxxopts::value(env_values_));
  add("mode", "auto (operator when its Deployment is available), operator or client.",
      cxxopts::value(mode_text_));
  dry_run_.Add(add, "client or server: show what would be done, change nothing.");
  add("o,output", "One of 'yaml' or 'json': print the Mattermost resource.",
      cxxopts::value(output_));
  add("wait", "Wait until the installation is stable.", cxxopts::value(wait_));
  add("timeout", "How long --wait waits (Go duration; default 10m, 5m for the operator).",
      cxxopts::value(timeout_text_));
  add("from",
      "install operator: apply this manifest (FILE or http(s) URL) instead of the embedded one.",
      cxxopts::value(from_file_));
  add("with-mysql-operator",
      "install operator: also apply this MySQL operator manifest (FILE or URL), before it.",
      cxxopts::value(mysql_operator_));
  add("with-minio-operator",
      "install operator: also apply this MinIO operator manifest (FILE or URL), before it.",
      cxxopts::value(minio_operator_));
}

Result<void> InstallOptions::Complete(Factory& factory, const std::vector<std::string>& args) {
  args_ = args;
  if (!args.empty()) flags_.name = args[0];
  operator_ = args.size() == 1 && args[0] == "operator";
  if (timeout_text_.empty()) timeout_text_ = operator_ ? "5m" : "10m";
  auto format = ParseOutputFormat(output_, {"json", "yaml"});
  if (!format) return std::move(format).error();
  format_ = *format;
  auto mode = ParseMode(mode_text_);
  if (!mode) return std::move(mode).error();
  mode_ = *mode;
  if (auto timeout = kubeapi::ParseGoDuration(timeout_text_)) {
    timeout_ = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  } else {
    problems_.push_back("invalid --timeout \"" + timeout_text_ + "\" (e.g. 10m, 90s)");
  }
  if (!replicas_text_.empty()) {
    try {
      size_t used = 0;
      int replicas = std::stoi(replicas_text_, &used);
      if (used != replicas_text_.size() || replicas < 0) throw std::invalid_argument("");
      flags_.replicas = replicas;
    } catch (const std::exception&) {
      problems_.push_back("--replicas must be a non-negative integer, got \"" + replicas_text_ +
                          "\"");
    }
  }
  auto env = ParseEnvFlags(env_values_);
  if (!env) return std::move(env).error();
  flags_.env = std::move(*env);
  if (!database_url_file_.empty()) {
    if (!flags_.database_secret.empty()) {
      problems_.push_back("--database-secret and --database-url-file are mutually exclusive");
    }
    flags_.database_secret = flags_.name + "-database";
  }
  if (!license_file_.empty()) flags_.license_secret = flags_.name + "-license";
  auto client = factory.Client();
  if (!client) return std::move(client).error();
  client_ = std::move(*client);
  flags_.namespace_name = client_->config().namespace_name;
  // The operator goes to its own namespace unless -n names one (the context's does not count).
  operator_namespace_ = factory.flags.overrides.namespace_name;
  return {};
}

Result<void> InstallOptions::Validate() const {
  if (args_.size() != 1) {
    return Error::Usage("install takes exactly one NAME (or 'operator'), got " +
                        std::to_string(args_.size()) + " arguments");
  }
  if (!problems_.empty()) return Error::Usage(problems_.front());
  if (operator_) return ValidateOperator();
  MM_RETURN_IF_ERROR(ValidateOperatorOnlyFlags());
  MM_RETURN_IF_ERROR(dry_run_.Validate(wait_));
  if (!flags_.size.empty() && FindSize(flags_.size) == nullptr) {
    return Error::Usage("--size: " + UnknownSizeMessage(flags_.size));
  }
  if (!flags_.version.empty()) {
    if (std::string problem = CheckImageVersion(flags_.version); !problem.empty()) {
      return Error::Usage("--version: " + problem);
    }
  }
  bool s3 = !flags_.filestore_s3_url.empty();
  if (s3 && !flags_.filestore_local.empty()) {
    return Error::Usage("--filestore-s3-url and --filestore-local are mutually exclusive");
  }
  if (s3 != !flags_.filestore_bucket.empty() || (!s3 && !flags_.filestore_secret.empty())) {
    return Error::Usage(
        "--filestore-s3-url, --filestore-bucket (and --filestore-secret) go together");
  }
  return {};
}

Result<void> InstallOptions::ValidateOperator() const {
  MM_RETURN_IF_ERROR(dry_run_.Validate(wait_));
  std::string embedded(manifests::OperatorVersion());
  if (!flags_.version.empty() && flags_.version != embedded && flags_.version != "v" + embedded) {
    return Error::Usage("--version: this plugin embeds operator v" + embedded + " only, got \"" +
                        flags_.version + "\" (use --from FILE for another release manifest)");
  }
  return {};
}

Result<void> InstallOptions::ValidateOperatorOnlyFlags() const {
  for (const auto& [flag, value] : {std::pair{"--from", &from_file_},
                                    {"--with-mysql-operator", &mysql_operator_},
                                    {"--with-minio-operator", &minio_operator_}}) {
    if (!value->empty()) {
      return Error::Usage(std::string(flag) + " is a flag of 'install operator'");
    }
  }
  return {};
}

Result<void> InstallOptions::RunOperator(IOStreams& streams) {
  OperatorInstallSettings settings{.sources = {.from = from_file_,
                                               .mysql = mysql_operator_,
                                               .minio = minio_operator_,
                                               .namespace_name = operator_namespace_},
                                   .read = ReadManifestLocation,
                                   .dry_run = dry_run_.value,
                                   .format = format_,
                                   .wait = wait_,
                                   .timeout = timeout_,
                                   .timeout_text = timeout_text_};
  return RunOperatorInstall(*client_, settings, streams);
}

// The Mattermost NAME as it is in the cluster, or nothing when it (or its CRD) does not exist.
Result<std::optional<rapidjson::Document>> InstallOptions::LiveInstallation() {
  auto mapping = client_->mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping && mapping.error().kind() == ErrorKind::kInvalid)
    return std::optional<rapidjson::Document>();
  if (!mapping) return std::move(mapping).error();
  auto live = client_->rest().Get(*mapping, flags_.namespace_name, flags_.name);
  if (!live && IsNotFound(live.error())) return std::optional<rapidjson::Document>();
  if (!live) return std::move(live).error();
  return std::optional<rapidjson::Document>(std::move(*live));
}

// The Mattermost of -f, or nothing without -f. Warns when its size overrides its replicas.
Result<std::optional<rapidjson::Document>> InstallOptions::ReadManifest(IOStreams& streams) const {
  if (filename_.empty()) return std::optional<rapidjson::Document>();
  auto text = ReadFile(filename_, "-f");
  if (!text) return std::move(text).error();
  auto documents = ParseYamlDocuments(*text, filename_);
  if (!documents) return std::move(documents).error();
  auto found = FindMattermostDocument(std::move(*documents), filename_);
  if (!found) return std::move(found).error();
  if (std::string warning = SizeOverridesReplicasWarning(*found);
      !warning.empty() && !flags_.replicas) {
    streams.err << "warning: " << warning << "\n";
  }
  return std::optional<rapidjson::Document>(std::move(*found));
}

// The secrets `spec` needs: those made from --database-url-file/--license-file, and the ones
// that must exist already.
Result<void> InstallOptions::AddSecrets(const MattermostSpec& spec, InstallPlan& plan) const {
  for (const auto& [file, name, key] :
       {std::tuple{database_url_file_, flags_.name + "-database", "DB_CONNECTION_STRING"},
        std::tuple{license_file_, flags_.name + "-license", "license"}}) {
    if (file.empty()) continue;
    auto text =
        ReadFile(file, key == std::string("license") ? "--license-file" : "--database-url-file");
    if (!text) return std::move(text).error();
    plan.secrets.push_back({name, key, kubeapi::SecretString(Chomp(std::move(*text)))});
  }
  if (spec.database.IsExternal() && database_url_file_.empty()) {
    plan.required_secrets.push_back(
        {"database", *spec.database.external_secret, "DB_CONNECTION_STRING"});
  }
  if (spec.file_store.Mode() == FileStoreMode::kExternal && spec.file_store.external &&
      !spec.file_store.external->secret.empty()) {
    plan.required_secrets.push_back({"file store", spec.file_store.external->secret, ""});
  }
  if (!spec.license_secret.empty() && license_file_.empty()) {
    plan.required_secrets.push_back({"license", spec.license_secret, "license"});
  }
  return {};
}

Result<void> InstallOptions::Run(IOStreams& streams) {
  if (operator_) return RunOperator(streams);
  auto base = ReadManifest(streams);
  if (!base) return std::move(base).error();
  auto live = LiveInstallation();
  if (!live) return std::move(live).error();
  if (*live) *base = ReinstallBase(*base ? &**base : nullptr, **live);
  auto resource = BuildMattermostResource(flags_, *base ? &**base : nullptr);
  if (!resource) return std::move(resource).error();
  auto mattermost = ParseMattermost(std::move(*resource));
  if (!mattermost) return std::move(mattermost).error();
  std::vector<std::string> problems = ValidateMattermost(*mattermost);
  if (std::string problem = CheckImageVersion(mattermost->spec.version);
      !mattermost->spec.version.empty() && !problem.empty()) {
    problems.push_back("spec.version: " + problem);
  }
  if (!problems.empty()) return InvalidError("Mattermost \"" + flags_.name + "\"", problems);
  auto defaulted = DefaultMattermost(*mattermost);
  if (!defaulted) return std::move(defaulted).error();
  OverrideReplicas(*defaulted, flags_.replicas);
  if (*live) {
    if (std::string problem = VersionChangeProblem(*defaulted, **live); !problem.empty()) {
      return Error::Invalid(problem);
    }
  }

  InstallPlan plan{.resource = std::move(*defaulted),
                   .live = std::move(*live),
                   .mode = mode_,
                   .create_namespace = create_namespace_,
                   .dry_run = dry_run_.value,
                   .format = format_,
                   .wait = wait_,
                   .timeout = timeout_,
                   .timeout_text = timeout_text_};
  MM_RETURN_IF_ERROR(AddSecrets(mattermost->spec, plan));
  return RunInstall(*client_, plan, streams);
}

CommandSpec InstallCommandSpec() {
  return {
      .name = "install",
      .summary = "Install a Mattermost installation (or the operator)",
      .description =
          "Build a Mattermost resource from flags (or read it with -f), validate it, create the "
          "secrets given as files, and apply it. With an operator running (--mode auto finds its "
          "Deployment available) the operator reconciles it; otherwise the plugin installs the "
          "CRD when missing and reconciles the installation itself, creating exactly the objects "
          "the operator would. --wait ends when the installation is stable.",
      .usage =
          "operator [--version V] [-n NAMESPACE] [--from FILE|URL] [--with-mysql-operator "
          "FILE|URL] [--with-minio-operator FILE|URL] [--dry-run=client|server] [-o yaml|json] "
          "[--wait] [--timeout 5m]\n  or: install NAME [-n NS] [--create-namespace] [--size "
          "1000users] [--version V] [--image I] "
          "[--replicas N] [--ingress-host H] [--ingress-class C] [--tls-secret S] "
          "[--database-secret S | --database-url-file F] [--filestore-s3-url U "
          "--filestore-bucket B --filestore-secret S | --filestore-local SIZE] "
          "[--license-file F] [--env K=V ...] [-f mattermost.yaml] [--mode auto|operator|client] "
          "[--dry-run=client|server] [-o yaml|json] [--wait] [--timeout 10m]",
      .examples =
          "  # Install the Mattermost operator (embedded manifest) and wait until it runs\n"
          "  $ install operator --wait\n"
          "\n"
          "  # A release manifest from a URL, into namespace ops, with the MySQL operator first\n"
          "  $ install operator -n ops --from https://example.com/mattermost-operator.yaml "
          "--with-mysql-operator ./mysql-operator.yaml\n"
          "\n"
          "  # A 100-user installation with an external database and a local file store\n"
          "  $ install demo --size 100users --ingress-host demo.local --database-secret db "
          "--filestore-local 10Gi --wait\n"
          "\n"
          "  # Show what a client-side install would create, without changing anything\n"
          "  $ install demo -n chat --ingress-host chat.example.com --database-secret db "
          "--dry-run=server\n"
          "\n"
          "  # Start from a manifest, store the connection string from a file\n"
          "  $ install chat -f mattermost.yaml --database-url-file ./db-url --mode client\n",
      .make = [] { return std::make_unique<InstallOptions>(); },
  };
}

}  // namespace mm
