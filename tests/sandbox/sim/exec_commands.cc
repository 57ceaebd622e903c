#include "tests/sandbox/sim/exec_commands.h"

#include <algorithm>

#include "tests/sandbox/sim/images.h"

namespace sandbox::sim {
namespace {

std::string Join(const std::vector<std::string>& words, size_t from) {
  std::string out;
  for (size_t i = from; i < words.size(); ++i) out += (i > from ? " " : "") + words[i];
  return out;
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

bool IsMattermost(const std::string& image) {
  std::string name = NormalizeImage(image);
  return name.rfind("docker.io/mattermost/", 0) == 0 &&
         name.rfind("docker.io/mattermost/mattermost-operator", 0) != 0;
}

ExecResult NotFound(const std::string& program) {
  return {"", "exec: \"" + program + "\": executable file not found in $PATH\n", 127};
}

ExecResult Env(const ExecContainer& c) {
  std::string out = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n";
  out += "HOSTNAME=" + c.pod_name + "\n";
  for (const auto& [name, value] : c.env) out += name + "=" + value + "\n";
  out += "KUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nHOME=/root\n";
  return {out, "", 0};
}

ExecResult Mattermost(const ExecContainer& c, const std::vector<std::string>& argv) {
  std::string tag = ImageTag(c.image);
  if (argv.size() == 2 && argv[1] == "version") {
    return {"Version: " + tag + "\nBuild Number: " + tag +
                "\nBuild Hash: sandbox\nBuild Enterprise Ready: false\nDB Version: " + tag + "\n",
            "", 0};
  }
  return {"", "Error: unknown command \"" + Join(argv, 1) + "\" for \"mattermost\"\n", 1};
}

ExecResult Mmctl(const std::vector<std::string>& argv) {
  if (argv == std::vector<std::string>{"mmctl", "--local", "system", "status"}) {
    return {
        "Server status: OK\nAndroid Latest Version: \nAndroid Min Version: \n"
        "Desktop Latest Version: \nDesktop Min Version: \nIos Latest Version: \n"
        "Ios Min Version: \nDatabase Status: OK\nFilestore Status: OK\n",
        "", 0};
  }
  if (std::find(argv.begin(), argv.end(), "--local") == argv.end()) {
    return {"", "Error: cannot read user credentials: use --local or mmctl auth login\n", 1};
  }
  return {"", "Error: unknown command \"" + Join(argv, 1) + "\" for \"mmctl\"\n", 1};
}

ExecResult Shell(const ExecContainer& c, const std::vector<std::string>& argv) {
  if (argv.size() < 3 || argv[1] != "-c") return {"", "sh: only `sh -c SCRIPT` is simulated\n", 2};
  std::vector<std::string> words = SplitWords(argv[2]);
  if (words.empty()) return {};
  if (words[0] == "exit") {
    int code = words.size() > 1 ? std::atoi(words[1].c_str()) : 0;
    return {"", "", code & 0xff};
  }
  ExecResult result = RunBuiltin(c, words);
  if (result.exit_code == 127) result.err = "sh: 1: " + words[0] + ": not found\n";
  return result;
}

}  // namespace

ExecResult RunBuiltin(const ExecContainer& container, const std::vector<std::string>& argv) {
  if (argv.empty()) return NotFound("");
  const std::string& program = argv[0];
  if (program == "echo") return {Join(argv, 1) + "\n", "", 0};
  if (program == "true") return {};
  if (program == "false") return {"", "", 1};
  if (program == "env") return Env(container);
  if (program == "sh" || program == "/bin/sh") return Shell(container, argv);
  if (IsMattermost(container.image)) {
    if (program == "mattermost" || program == "bin/mattermost") return Mattermost(container, argv);
    if (program == "mmctl" || program == "bin/mmctl") return Mmctl(argv);
  }
  return NotFound(program);
}

}  // namespace sandbox::sim
