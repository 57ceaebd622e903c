#include "plugin/version/version_command.h"

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

Result<void> VersionOptions::Complete(Factory& /*factory*/, const std::vector<std::string>& args) {
  args_ = args;
  auto format = ParseOutputFormat(output_, {"json", "yaml"});
  if (!format) return std::move(format).error();
  format_ = *format;
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
  if (format_ != OutputFormat::kHuman) {
    rapidjson::Document document(rapidjson::kObjectType);
    document.AddMember("clientVersion", ClientVersionObject(document.GetAllocator()),
                       document.GetAllocator());
    PrintStructured(document, format_, streams.out);
  } else {
    const BuildInfo& info = GetBuildInfo();
    streams.out << "Client Version: " << info.git_version << " (commit " << info.git_commit << ", "
                << kPlatformOs << "/" << kPlatformArch << ")\n";
  }
  if (!client_only_) {
    streams.err << "Server Version: not queried (this build has no Kubernetes client yet; use "
                   "--client)\n";
  }
  return {};
}

CommandSpec VersionCommandSpec() {
  return {
      .name = "version",
      .summary = "Print the plugin's version information",
      .description = "Print the plugin's version, git commit, build date and platform.",
      .usage = "[--client] [-o json|yaml]",
      .examples =
          "  # Print the plugin's version\n"
          "  $ version --client\n"
          "\n"
          "  # Print it as JSON, for scripts\n"
          "  $ version --client -o json\n",
      .make = [] { return std::make_unique<VersionOptions>(); },
  };
}

}  // namespace mm
