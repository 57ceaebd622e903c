#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tests/sandbox/sim/workload_ports.h"

namespace sandbox::sim {

// What a simulated container does, chosen from its image and command line (README's table).
enum class Program {
  kServer,      // runs forever, Ready after the pod-ready delay
  kNeverReady,  // runs forever, never Ready
  kJob,         // writes its log lines, then exits with exit_code
  kCrashLoop,   // exits 1 after starting, restarted with back-off forever
  kPullFail,    // the image cannot be pulled (ErrImagePull, then ImagePullBackOff)
};

struct Behaviour {
  Program program = Program::kServer;
  std::vector<std::string> log_lines;  // written while the container runs
  int exit_code = 0;                   // kJob only
  // Bytes of numbered filler lines written at start, before log_lines' last line (a large log
  // for benchmarks: tags `...biglog-<MiB>...`).
  int64_t generated_bytes = 0;
};

// Calls `line` for each filler line of a `generated_bytes` log (about 100 bytes each).
void GenerateLogLines(int64_t generated_bytes, const std::function<void(std::string)>& line);

// The behaviour of `image` run with `command` and `args`. Never fails: unknown images serve.
Behaviour BehaviourOf(const std::string& image, const std::vector<std::string>& command,
                      const std::vector<std::string>& args);

// A port a running container serves (workload_ports.h).
struct ServedPort {
  uint16_t port;
  PortKind kind;
};

// The ports a container of `image` with `behaviour` serves while it runs: mattermost/* servers
// (not the operator, not `db migrate`) serve 8065 (HTTP ping), 8067 (metrics) and 9999 (bulk);
// nothing else serves a port.
std::vector<ServedPort> ServedPorts(const std::string& image, const Behaviour& behaviour);

// The image reference as the kubelet reports it (docker.io/library/nginx:latest).
std::string NormalizeImage(const std::string& image);
// The tag of an image reference ("latest" when none; digests count as no tag).
std::string ImageTag(const std::string& image);
// A stable fake digest reference for containerStatuses[].imageID.
std::string ImageId(const std::string& image);

}  // namespace sandbox::sim
