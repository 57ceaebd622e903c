#include "plugin/cli.h"

#include <algorithm>
#include <optional>

#include "plugin/command_table.h"
#include "plugin/exit_code.h"
#include "plugin/interrupt.h"

namespace mm {
namespace {

// kubectl accepts -v=6, --v=6 and --v 6; cxxopts only knows the short form, so normalise.
std::vector<std::string> NormalizeVerbosityFlags(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    if (arg.rfind("--v=", 0) == 0 || arg.rfind("-v=", 0) == 0) {
      out.emplace_back("-v");
      out.push_back(arg.substr(arg.find('=') + 1));
    } else if (arg == "--v") {
      out.emplace_back("-v");
    } else {
      out.push_back(arg);
    }
  }
  return out;
}

// Returns the index in `args` of the command word: the first argument that is neither a flag nor
// the value of a global flag. Stops at "--".
std::optional<size_t> FindCommandWord(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") return std::nullopt;
    if (arg.empty() || arg[0] != '-') return i;
    if (GlobalFlagTakesValue(arg)) ++i;
  }
  return std::nullopt;
}

bool WantsHelp(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(),
                     [](const std::string& arg) { return arg == "-h" || arg == "--help"; });
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

void PrintRootHelp(const std::string& display_name, std::ostream& out) {
  out << display_name << " installs and operates Mattermost on Kubernetes.\n\n"
      << "Commands:\n";
  size_t width = 0;
  for (const CommandSpec& spec : CommandTable()) width = std::max(width, spec.name.size());
  for (const CommandSpec& spec : CommandTable()) {
    out << "  " << spec.name << std::string(width - spec.name.size() + 4, ' ') << spec.summary
        << '\n';
  }
  out << "\nUsage:\n  " << display_name << " <command> [flags]\n\n"
      << "Use \"" << display_name << " <command> --help\" for more information about a command.\n";
}

// Prints one flag group as "  -o, --output VALUE   description" rows.
void PrintFlagGroup(const cxxopts::Options& options, const std::string& group, std::ostream& out) {
  std::vector<std::pair<std::string, std::string>> rows;
  size_t width = 0;
  for (const cxxopts::HelpOptionDetails& option : options.group_help(group).options) {
    std::string names = option.s.empty() ? "    " : "-" + option.s + ", ";
    for (size_t i = 0; i < option.l.size(); ++i) names += (i > 0 ? ", --" : "--") + option.l[i];
    if (!option.is_boolean) names += option.is_container ? " VALUE..." : " VALUE";
    width = std::max(width, names.size());
    rows.emplace_back(names, option.desc);
  }
  for (const auto& [names, description] : rows) {
    out << "  " << names << std::string(width - names.size() + 3, ' ') << description << '\n';
  }
}

void PrintCommandHelp(const std::string& display_name, const CommandSpec& spec,
                      const cxxopts::Options& options, std::ostream& out) {
  out << spec.description << "\n\n";
  if (!spec.examples.empty()) {
    out << "Examples:\n" << ReplaceAll(spec.examples, "$", display_name) << '\n';
  }
  out << "Usage:\n  " << display_name << ' ' << spec.name << ' ' << spec.usage << " [options]\n\n"
      << "Options:\n";
  PrintFlagGroup(options, "", out);
  out << "\nGlobal options (kubectl's connection flags):\n";
  PrintFlagGroup(options, "global", out);
}

// cxxopts quotes names with typographic quotes; kubectl users expect plain ones.
std::string PlainQuotes(std::string text) {
  return ReplaceAll(ReplaceAll(std::move(text), "\u2018", "'"), "\u2019", "'");
}

// A command that did not watch for the signal itself (no guard of its own) stopped at its next
// request, or finished before it noticed: either way a script gets 130, as when kubectl is killed
// by Ctrl-C, with one plain line. The command's own error wins otherwise.
Result<void> AfterSignal(const InterruptGuard& interrupt, Result<void> result) {
  if (!interrupt.interrupted() || interrupt.nested()) return result;
  if (!result && result.error().kind() != ErrorKind::kInterrupted) return result;
  return Error::Interrupted("interrupted");
}

int RunCommand(const std::string& display_name, const CommandSpec& spec,
               const std::vector<std::string>& args, IOStreams& streams) {
  const std::string command_path = display_name + " " + spec.name;
  std::unique_ptr<Command> command = spec.make();
  Factory factory;
  factory.display_name = display_name;
  factory.log = &streams.err;
  factory.stdin_is_terminal = streams.in_is_terminal;
  std::vector<std::string> positional;

  cxxopts::Options options(command_path, spec.summary);
  options.set_width(100);
  command->AddFlags(options);
  AddGlobalFlags(options, factory.flags);
  options.add_options("positional")("args", "", cxxopts::value(positional));
  options.add_options()("h,help", "Help for " + spec.name);
  options.parse_positional({"args"});

  std::vector<const char*> raw = {command_path.c_str()};
  for (const std::string& arg : args) raw.push_back(arg.c_str());
  try {
    cxxopts::ParseResult parsed = options.parse(static_cast<int>(raw.size()), raw.data());
    if (parsed.count("help") > 0) {
      PrintCommandHelp(display_name, spec, options, streams.out);
      return kExitOk;
    }
  } catch (const cxxopts::exceptions::exception& e) {
    Error error = Error::Usage(PlainQuotes(e.what()));
    streams.err << FormatError(error, command_path) << '\n';
    return ExitCodeFor(error);
  }

  // Ctrl-C and SIGTERM for every command (interrupt.h): before Complete, which may start threads.
  InterruptGuard interrupt;
  factory.cancel = &interrupt.token();
  Result<void> result = command->Complete(factory, positional);
  if (result) result = command->Validate();
  if (result) result = command->Run(streams);
  result = AfterSignal(interrupt, std::move(result));
  if (!result) {
    streams.out.flush();
    streams.err << FormatError(result.error(), command_path) << '\n';
    return ExitCodeFor(result.error());
  }
  return kExitOk;
}

}  // namespace

std::string DisplayName(const std::string& argv0) {
  std::string base = argv0.substr(argv0.find_last_of('/') + 1);
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".exe") == 0) {
    base.resize(base.size() - 4);
  }
  if (base.rfind("kubectl-", 0) == 0) {
    std::string plugin = base.substr(8);
    std::replace(plugin.begin(), plugin.end(), '_', '-');
    return "kubectl " + plugin;
  }
  return base;
}

int RunCli(const std::vector<std::string>& argv, IOStreams& streams) {
  const std::string display_name = DisplayName(argv.empty() ? "kubectl-mattermost" : argv[0]);
  std::vector<std::string> args = NormalizeVerbosityFlags(
      std::vector<std::string>(argv.begin() + (argv.empty() ? 0 : 1), argv.end()));
  std::optional<size_t> word = FindCommandWord(args);
  if (!word) {
    PrintRootHelp(display_name, streams.out);
    return kExitOk;
  }
  std::string name = args[*word];
  args.erase(args.begin() + static_cast<std::ptrdiff_t>(*word));
  if (name == "help") {
    // "help" alone is the root help; "help CMD" is CMD's help.
    std::optional<size_t> topic = FindCommandWord(args);
    if (!topic) {
      PrintRootHelp(display_name, streams.out);
      return kExitOk;
    }
    name = args[*topic];
    args = {"--help"};
  }
  const CommandSpec* spec = FindCommand(name);
  if (spec == nullptr) {
    if (WantsHelp(args)) {
      PrintRootHelp(display_name, streams.out);
      return kExitOk;
    }
    streams.err << "error: unknown command \"" << name << "\" for \"" << display_name << "\"\nRun '"
                << display_name << " --help' for usage.\n";
    return kExitError;
  }
  return RunCommand(display_name, *spec, args, streams);
}

}  // namespace mm
