#include "plugin/version/version_command.h"

#include "core/json.h"
#include "core/platform.h"
#include "plugin/build_info.h"

namespace mm {
namespace {

rapidjson::Value ClientVersionObject(rapidjson::Document::AllocatorType& allocator) {
  const BuildInfo& info = GetBuildInfo();
  std::string platform = std::string(kPlatformOs) + "/" + std::string(kPlatformArch);
  rapidjson::Value client(rapidjson::kObjectType);
  client.AddMember("gitVersion", rapidjson::Value(info.git_version.c_str(), allocator), allocator);
  client.AddMember("gitCommit", rapidjson::Value(info.git_commit.c_str(), allocator), allocator);
  client.AddMember("gitTreeState", rapidjson::Value(info.git_tree_state.c_str(), allocator),
                   allocator);
  client.AddMember("buildDate", rapidjson::Value(info.build_date.c_str(), allocator), allocator);
  client.AddMember("compiler", rapidjson::Value(info.compiler.c_str(), allocator), allocator);
  client.AddMember("platform", rapidjson::Value(platform.c_str(), allocator), allocator);
  return client;
}

}  // namespace

void VersionOptions::AddFlags(cxxopts::Options& options) {
  cxxopts::OptionAdder add = options.add_options();
  add("client", "If true, shows the plugin's version only (no server required).",
      cxxopts::value(client_only_));
  add("o,output", "One of 'yaml' or 'json'.", cxxopts::value(output_));
}

Result<void> VersionOptions::Complete(Factory& factory, const std::vector<std::string>& args) {
  args_ = args;
  auto format = ParseOutputFormat(output_, {"json", "yaml"});
  if (!format) return std::move(format).error();
  format_ = *format;
  if (!client_only_) {
    // As kubectl: a broken kubeconfig fails here, before anything is printed.
    Result<std::shared_ptr<kubeapi::Client>> client = factory.Client();
    if (!client) return std::move(client).error();
    client_ = std::move(*client);
  }
  return {};
}

Result<void> VersionOptions::Validate() const {
  if (!args_.empty()) {
    return Error::Usage("unexpected arguments: version takes no arguments, got \"" + args_[0] +
                        "\"");
  }
  return {};
}

Result<void> VersionOptions::Run(IOStreams& streams) {
  // kubectl prints what it has (the client version) even when the server cannot be reached, then
  // reports the error.
  std::optional<Result<rapidjson::Document>> server;
  if (client_) server = client_->rest().DoJson({.path = "/version"});
  bool have_server = server && server->ok();
  if (format_ != OutputFormat::kHuman) {
    rapidjson::Document document(rapidjson::kObjectType);
    auto& allocator = document.GetAllocator();
    document.AddMember("clientVersion", ClientVersionObject(allocator), allocator);
    if (have_server) {
      document.AddMember("serverVersion", rapidjson::Value(server->value(), allocator), allocator);
    }
    PrintStructured(document, format_, streams.out);
  } else {
    const BuildInfo& info = GetBuildInfo();
    streams.out << "Client Version: " << info.git_version << " (commit " << info.git_commit << ", "
                << kPlatformOs << "/" << kPlatformArch << ")\n";
    if (have_server) {
      streams.out << "Server Version: " << GetString(server->value(), "gitVersion") << "\n";
    }
  }
  if (server && !server->ok()) return server->error();
  return {};
}

CommandSpec VersionCommandSpec() {
  return {
      .name = "version",
      .summary = "Print the plugin's version information",
      .description =
          "Print the plugin's version, git commit, build date and platform, and the API server's "
          "version (GET /version) unless --client is given.",
      .usage = "[--client] [-o json|yaml]",
      .examples =
          "  # Print the plugin's version\n"
          "  $ version --client\n"
          "\n"
          "  # Print it as JSON, for scripts\n"
          "  $ version --client -o json\n"
          "\n"
          "  # Print the plugin's and the cluster's versions\n"
          "  $ version --context prod\n",
      .make = [] { return std::make_unique<VersionOptions>(); },
  };
}

}  // namespace mm
