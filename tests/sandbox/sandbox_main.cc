// kube-sandbox: a Kubernetes API server for tests, demos and benchmarks (see README.md).
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
// A repeated --fault keeps its commas (cxxopts would split vector values on them); this is the
// only file of kube-sandbox that includes cxxopts.
#define CXXOPTS_VECTOR_DELIMITER '\x1f'
#include <cxxopts.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/json.h"
#include "core/quantity.h"
#include "tests/sandbox/api_server.h"
#include "tests/sandbox/https_server.h"
#include "tests/sandbox/kubeconfig.h"
#include "tests/sandbox/pki.h"
#include "tests/sandbox/sim/cluster.h"
#include "tests/sandbox/workload_listeners.h"

namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

bool WriteFile(const std::filesystem::path& path, const std::string& text, bool secret) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (secret) ::chmod(path.c_str(), 0600);
  return static_cast<bool>(file);
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "kube-sandbox: error: %s\n", message.c_str());
  return 1;
}

// --exit-with-parent: the kernel sends SIGKILL when the process that started us dies, even by
// SIGKILL or a sanitizer halt, so an orphan never holds a test runner's output pipe or port.
// SIGKILL, not SIGTERM: nobody is left to read our state, and a wedged server must go too.
// `parent` is getppid() read first thing in main; a parent that died before prctl took effect
// has already handed us to a reaper, which the second getppid() sees. Returns false then.
bool ExitWithParent(pid_t parent) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return false;
  return ::getppid() == parent && parent != 1;
}

}  // namespace

int main(int argc, char** argv) {
  const pid_t parent = ::getppid();
  cxxopts::Options options("kube-sandbox", "A Kubernetes API server for tests and demos");
  options.add_options()("listen", "HOST:PORT to listen on (port 0 = any free port)",
                        cxxopts::value<std::string>()->default_value("127.0.0.1:0"))(
      "state-dir", "directory for the CA, tokens and the object snapshot (persists objects)",
      cxxopts::value<std::string>())("kubeconfig-out", "where to write the kubeconfig",
                                     cxxopts::value<std::string>())(
      "version-minor", "minor version /version reports",
      cxxopts::value<int>()->default_value("32"))(
      "watch-window", "events kept for watch resume (older resourceVersions get 410)",
      cxxopts::value<size_t>()->default_value("10000"))(
      "bookmark-interval-ms", "how often watches with allowWatchBookmarks get a BOOKMARK",
      cxxopts::value<int>()->default_value("5000"))(
      "pod-ready-delay", "milliseconds a simulated container takes to become Ready or finish",
      cxxopts::value<int>()->default_value("200"))(
      "stream-creation-timeout-ms",
      "how long the kubelet waits for a SPDY client's exec/attach/port-forward streams",
      cxxopts::value<int>()->default_value("30000"))(
      "remote-command-latency-ms",
      "how long a WebSocket exec/attach takes to reach the kubelet (its output waits as long)",
      cxxopts::value<int>()->default_value("200"))(
      "no-simulation", "store objects only: no controllers, scheduler or kubelet")(
      "no-exec-v5", "WebSocket exec and attach without v5.channel.k8s.io (v4 and older only)")(
      "node-cpu", "cpu of each of the three seeded nodes (a quantity, e.g. 2 or 1500m)",
      cxxopts::value<std::string>()->default_value(""))(
      "node-memory", "memory of each seeded node (a quantity, e.g. 4Gi)",
      cxxopts::value<std::string>()->default_value(""))(
      "node-pods", "pods each seeded node can run", cxxopts::value<int>()->default_value("110"))(
      "fault", "inject a fault: KIND[,key=value...] (repeatable; see README.md, Fault injection)",
      cxxopts::value<std::vector<std::string>>())("fault-seed",
                                                  "seed of the generator behind probability faults",
                                                  cxxopts::value<uint64_t>()->default_value("1"))(
      "exit-with-parent", "exit when the process that started the sandbox dies (tests)")(
      "quiet", "do not log requests to stderr")("h,help", "show this help");
  cxxopts::ParseResult args;
  try {
    args = options.parse(argc, argv);
  } catch (const std::exception& e) {
    return Fail(e.what());
  }
  if (args.count("help")) {
    std::cout << options.help() << std::endl;
    return 0;
  }
  if (args.count("exit-with-parent") && !ExitWithParent(parent)) {
    return Fail("--exit-with-parent: the parent process is gone");
  }
  std::string listen = args["listen"].as<std::string>();
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Fail("--listen must be HOST:PORT");
  sandbox::ListenOptions listen_options;
  listen_options.host = listen.substr(0, colon);
  listen_options.port = static_cast<uint16_t>(std::atoi(listen.substr(colon + 1).c_str()));
  listen_options.log_requests = args.count("quiet") == 0;

  std::filesystem::path state_dir;
  sandbox::CertKey ca;
  std::string admin_token = sandbox::RandomToken();
  std::string viewer_token = sandbox::RandomToken();
  std::string basic_password = sandbox::RandomToken();
  if (args.count("state-dir")) {
    state_dir = args["state-dir"].as<std::string>();
    std::filesystem::create_directories(state_dir);
    if (std::filesystem::exists(state_dir / "ca.key")) {
      ca = {ReadFile(state_dir / "ca.crt"), ReadFile(state_dir / "ca.key")};
    }
    if (auto tokens = mm::ParseJson(ReadFile(state_dir / "tokens.json")); tokens) {
      admin_token = mm::GetString(*tokens, "admin", admin_token);
      viewer_token = mm::GetString(*tokens, "viewer", viewer_token);
      basic_password = mm::GetString(*tokens, "basic", basic_password);
    }
  }
  auto pki = sandbox::GeneratePki(ca, "sandbox-admin", {"system:masters"});
  if (!pki) return Fail(pki.error().message());
  if (!state_dir.empty()) {
    WriteFile(state_dir / "ca.crt", pki->ca.cert_pem, false);
    WriteFile(state_dir / "ca.key", pki->ca.key_pem, true);
    WriteFile(state_dir / "tokens.json",
              "{\"admin\":\"" + admin_token + "\",\"viewer\":\"" + viewer_token +
                  "\",\"basic\":\"" + basic_password + "\"}\n",
              true);
  }

  sandbox::ServerConfig config;
  config.version_minor = args["version-minor"].as<int>();
  config.watch_window = args["watch-window"].as<size_t>();
  config.bookmark_interval = std::chrono::milliseconds(args["bookmark-interval-ms"].as<int>());
  config.node_cpu = args["node-cpu"].as<std::string>();
  config.node_memory = args["node-memory"].as<std::string>();
  config.node_pods = args["node-pods"].as<int>();
  if (config.node_pods < 1) return Fail("--node-pods must be at least 1");
  for (std::string* quantity : {&config.node_cpu, &config.node_memory}) {
    if (auto canonical = mm::CanonicalQuantity(*quantity); !quantity->empty()) {
      if (!canonical) return Fail(canonical.error().message());
      *quantity = *canonical;
    }
  }
  sandbox::ApiServer api(config);
  api.faults().Seed(args["fault-seed"].as<uint64_t>());
  if (args.count("fault")) {
    for (const std::string& text : args["fault"].as<std::vector<std::string>>()) {
      auto rule = sandbox::ParseFaultRule(text);
      if (!rule) return Fail("--fault " + text + ": " + rule.error().message());
      api.faults().Add(std::move(*rule));
    }
  }
  api.authorizer().AddToken(
      admin_token, {"sandbox-token-admin", {"system:masters", "system:authenticated"}, true});
  api.authorizer().AddToken(viewer_token,
                            {"sandbox-viewer", {"sandbox:viewers", "system:authenticated"}, true});
  api.authorizer().AddBasic("sandbox-basic", basic_password,
                            {"sandbox-basic", {"system:masters", "system:authenticated"}, true});
  std::filesystem::path snapshot = state_dir.empty() ? "" : state_dir / "snapshot.json";
  if (!snapshot.empty() && std::filesystem::exists(snapshot)) {
    if (auto loaded = api.LoadSnapshot(snapshot); !loaded) return Fail(loaded.error().message());
  } else {
    api.Seed();
  }

  sandbox::HttpsServer server(api, {pki->server.cert_pem, pki->server.key_pem, pki->ca.cert_pem},
                              listen_options);
  sandbox::WorkloadListeners workloads(server.io_context());
  if (auto listening = workloads.Listen(listen_options.host); !listening) {
    return Fail(listening.error().message());
  }
  api.set_stream_metrics([&workloads](bool reset) {
    std::string text =
        R"("portForwardQueuedToPods":)" + std::to_string(workloads.queued_to_pods()) +
        R"(,"portForwardQueuedToPodsPeak":)" + std::to_string(workloads.queued_to_pods_peak());
    if (reset) workloads.ResetPeak();
    return text;
  });
  std::unique_ptr<sandbox::sim::Cluster> cluster;
  if (args.count("no-simulation") == 0) {
    sandbox::sim::SimConfig sim;
    sim.pod_ready_delay = std::chrono::milliseconds(args["pod-ready-delay"].as<int>());
    sim.stream_creation_timeout =
        std::chrono::milliseconds(args["stream-creation-timeout-ms"].as<int>());
    sim.exec_v5 = args.count("no-exec-v5") == 0;
    sim.remote_command_latency =
        std::chrono::milliseconds(args["remote-command-latency-ms"].as<int>());
    cluster = std::make_unique<sandbox::sim::Cluster>(api, server.timers(), sim);
    cluster->set_workload_ports(&workloads);
    cluster->Resync();
  }
  auto port = server.Listen();
  if (!port) return Fail(port.error().message());
  std::string url = "https://" + listen_options.host + ":" + std::to_string(*port);
  if (args.count("kubeconfig-out")) {
    std::string text =
        sandbox::RenderKubeconfig({url, pki->ca.cert_pem, pki->client.cert_pem, pki->client.key_pem,
                                   admin_token, viewer_token, basic_password});
    if (!WriteFile(args["kubeconfig-out"].as<std::string>(), text, true)) {
      return Fail("cannot write " + args["kubeconfig-out"].as<std::string>());
    }
  }
  std::printf("listening on %s\n", url.c_str());
  // The simulated pods' ports, for benchmarks that compare a port-forward with a direct
  // connection to the same simulated port (README: Simulated workload ports).
  std::printf("workload ports: http=%s metrics=%s bulk=%s\n",
              workloads.Address(sandbox::sim::PortKind::kMattermostHttp).c_str(),
              workloads.Address(sandbox::sim::PortKind::kMetrics).c_str(),
              workloads.Address(sandbox::sim::PortKind::kBulk).c_str());
  std::fflush(stdout);
  server.RunUntilSignal();
  cluster.reset();
  if (!snapshot.empty()) {
    if (auto saved = api.SaveSnapshot(snapshot); !saved) return Fail(saved.error().message());
  }
  std::fprintf(stderr, "kube-sandbox: stopped\n");
  return 0;
}
