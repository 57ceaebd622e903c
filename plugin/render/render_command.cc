#include "plugin/render/render_command.h"

#include <fstream>
#include <sstream>

#include "core/json.h"
#include "core/json_builder.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/render.h"
#include "core/yaml.h"
#include "manifests/manifests.h"
#include "plugin/interrupt.h"

namespace mm {
namespace {

Result<std::string> ReadInput(const std::string& filename, std::istream& in) {
  std::stringstream text;
  if (filename == "-") {
    text << in.rdbuf();
    return text.str();
  }
  std::ifstream file(filename);
  if (!file) return Error::Usage("the path \"" + filename + "\" does not exist");
  text << file.rdbuf();
  return text.str();
}

bool IsMattermost(const rapidjson::Value& document) {
  return GetString(document, "apiVersion") == kMattermostApiVersion &&
         GetString(document, "kind") == kMattermostKind;
}

// The facts for one Mattermost: flags first, then a Secret of the same file named by
// spec.database.external.secret.
ClusterFacts FactsFor(const rapidjson::Value& mattermost,
                      const std::vector<rapidjson::Document>& documents,
                      const ClusterFacts& from_flags) {
  ClusterFacts facts = from_flags;
  const rapidjson::Value* spec = FindMember(mattermost, "spec");
  const rapidjson::Value* database = spec ? FindMember(*spec, "database") : nullptr;
  const rapidjson::Value* external = database ? FindMember(*database, "external") : nullptr;
  std::string secret = external ? GetString(*external, "secret") : "";
  for (const rapidjson::Document& document : documents) {
    const rapidjson::Value* metadata = FindMember(document, "metadata");
    if (!secret.empty() && GetString(document, "kind") == "Secret" && metadata &&
        GetString(*metadata, "name") == secret) {
      facts.external_db_secret = SecretKeys(document);
    }
  }
  return facts;
}

// Prints `objects` as YAML documents or one JSON List.
void PrintObjects(const std::vector<const rapidjson::Value*>& objects, OutputFormat format,
                  std::ostream& out) {
  if (format == OutputFormat::kJson) {
    rapidjson::Document list(rapidjson::kObjectType);
    auto& allocator = list.GetAllocator();
    list.AddMember("apiVersion", "v1", allocator);
    list.AddMember("kind", "List", allocator);
    rapidjson::Value items(rapidjson::kArrayType);
    for (const rapidjson::Value* object : objects) {
      items.PushBack(rapidjson::Value(*object, allocator), allocator);
    }
    list.AddMember("items", items, allocator);
    PrintStructured(list, format, out);
    return;
  }
  for (size_t i = 0; i < objects.size(); ++i) {
    if (i > 0) out << "---\n";
    PrintStructured(*objects[i], format, out);
  }
}

}  // namespace

Result<void> RenderOptions::PrintOperatorManifest(IOStreams& streams) const {
  auto manifest = ParseJson(manifests::OperatorManifestJson(), "embedded operator manifest");
  if (!manifest) return std::move(manifest).error();
  std::vector<const rapidjson::Value*> objects;
  for (const rapidjson::Value& object : manifest->GetArray()) objects.push_back(&object);
  PrintObjects(objects, format_, streams.out);
  return {};
}

void RenderOptions::AddFlags(cxxopts::Options& options) {
  cxxopts::OptionAdder add = options.add_options();
  add("f,filename", "The Mattermost resource to render ('-' reads stdin).",
      cxxopts::value(filename_));
  add("o,output", "One of 'yaml' (default) or 'json'.", cxxopts::value(output_));
  add("db-secret-key",
      "A key (KEY or KEY=VALUE) of the external DB secret, when the file does not contain the "
      "Secret; repeatable. Default: DB_CONNECTION_STRING. The DB_CONNECTION_STRING value's "
      "mysql/postgres prefix picks the check container's image.",
      cxxopts::value(db_secret_keys_));
  add("mysql-database",
      "DATABASE of the operator-managed MySQL secret (default 'mattermost', what the operator "
      "generates).",
      cxxopts::value(mysql_database_));
  add("operator",
      "Print the embedded Mattermost operator installation manifest (Namespace, CRDs, RBAC, "
      "Deployment) instead of rendering -f.",
      cxxopts::value(operator_manifest_));
  add("minio-port",
      "Port of the operator-managed MinIO service <name>-minio-hl-svc (default 9000).",
      cxxopts::value(minio_port_));
}

Result<void> RenderOptions::Complete(Factory& factory, const std::vector<std::string>& args) {
  args_ = args;
  namespace_ = factory.flags.overrides.namespace_name.empty()
                   ? "default"
                   : factory.flags.overrides.namespace_name;
  auto format = ParseOutputFormat(output_, {"json", "yaml"});
  if (!format) return std::move(format).error();
  format_ = *format == OutputFormat::kHuman ? OutputFormat::kYaml : *format;
  return {};
}

Result<void> RenderOptions::Validate() const {
  if (!args_.empty()) {
    return Error::Usage("unexpected arguments: render takes no arguments, got \"" + args_[0] +
                        "\"");
  }
  if (operator_manifest_ && !filename_.empty()) {
    return Error::Usage("--operator and -f are mutually exclusive");
  }
  if (filename_.empty() && !operator_manifest_) {
    return Error::Usage("must specify -f (a Mattermost manifest) or --operator");
  }
  if (minio_port_ <= 0 || minio_port_ > 65535) {
    return Error::Usage("--minio-port must be between 1 and 65535");
  }
  return {};
}

Result<void> RenderOptions::Run(IOStreams& streams) {
  if (operator_manifest_) return PrintOperatorManifest(streams);
  Result<std::string> text = [&] {
    // Nothing written yet, and no token ends a read from the terminal: Ctrl-C ends us at once.
    InterruptGuard::ExitAtOnce at_once;
    return ReadInput(filename_, streams.in);
  }();
  if (!text) return std::move(text).error();
  auto documents = ParseYamlDocuments(*text, filename_ == "-" ? "stdin" : filename_);
  if (!documents) return std::move(documents).error();
  ClusterFacts flags;
  flags.mysql_database = mysql_database_;
  flags.minio_service_port = minio_port_;
  if (!db_secret_keys_.empty()) {
    flags.external_db_secret.clear();
    for (const std::string& key : db_secret_keys_) {
      size_t equals = key.find('=');
      std::string name = key.substr(0, equals);
      // A key without a value exists with a value we do not know: one that passes the
      // operator's checks without choosing a database type.
      std::string unknown = name == "DB_CONNECTION_CHECK_URL" ? "http://unknown" : "unknown";
      flags.external_db_secret[name] =
          equals == std::string::npos ? unknown : key.substr(equals + 1);
    }
  }
  std::vector<rapidjson::Document> rendered;
  for (const rapidjson::Document& document : *documents) {
    if (!IsMattermost(document)) continue;
    rapidjson::Document copy;
    copy.CopyFrom(document, copy.GetAllocator());
    auto objects =
        RenderMattermost(std::move(copy), FactsFor(document, *documents, flags), namespace_);
    if (!objects) return std::move(objects).error();
    for (rapidjson::Document& object : *objects) rendered.push_back(std::move(object));
  }
  if (rendered.empty()) {
    return Error::Invalid(filename_ + ": no " + kMattermostApiVersion + " Mattermost found");
  }
  std::vector<const rapidjson::Value*> objects;
  for (const rapidjson::Document& object : rendered) objects.push_back(&object);
  PrintObjects(objects, format_, streams.out);
  return {};
}

CommandSpec RenderCommandSpec() {
  return {
      .name = "render",
      .summary = "Print the objects the Mattermost operator would create, offline",
      .description =
          "Print the defaulted Mattermost resource and every object the Mattermost operator "
          "(v1.25) would create for it: Deployment, Service, Ingress, RBAC, MySQL and MinIO "
          "resources. No cluster is needed: the few values the operator reads from the cluster "
          "come from the file (the external database Secret) or from flags.",
      .usage =
          "-f FILE [-o yaml|json] [--db-secret-key KEY[=VALUE]]... [--mysql-database NAME] "
          "[--minio-port PORT]",
      .examples =
          "  # Render a Mattermost manifest as YAML\n"
          "  $ render -f mattermost.yaml\n"
          "\n"
          "  # As a JSON List, for the namespace 'chat' when the file names none\n"
          "  $ render -f mattermost.yaml -o json -n chat\n"
          "\n"
          "  # The operator's installation manifest this plugin embeds\n"
          "  $ render --operator\n"
          "\n"
          "  # The external DB secret has a check URL and reader endpoints\n"
          "  $ render -f mm.yaml --db-secret-key DB_CONNECTION_STRING=postgres://db "
          "--db-secret-key DB_CONNECTION_CHECK_URL --db-secret-key "
          "MM_SQLSETTINGS_DATASOURCEREPLICAS\n",
      .make = [] { return std::make_unique<RenderOptions>(); },
  };
}

}  // namespace mm
