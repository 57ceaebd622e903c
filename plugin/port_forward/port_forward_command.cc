#include "plugin/port_forward/port_forward_command.h"

#include <optional>
#include <thread>

#include "core/json.h"
#include "core/mattermost/labels.h"
#include "core/mattermost/parse.h"
#include "kubeapi/duration.h"
#include "kubeapi/port_forward.h"
#include "plugin/interrupt.h"
#include "plugin/port_forward/browser.h"

namespace mm {
namespace {

// How long a new connection waits for a ready pod while the old one is being replaced.
constexpr std::chrono::seconds kReplacementWait{60};

std::string HostPort(const std::string& address, int port) {
  bool ipv6 = address.find(':') != std::string::npos;
  return (ipv6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

}  // namespace

void PortForwardOptions::AddFlags(cxxopts::Options& options) {
  cxxopts::OptionAdder add = options.add_options();
  add("address", "The local IP address to listen on (default 127.0.0.1).",
      cxxopts::value(address_));
  add("open", "Open Mattermost in a browser once forwarding (xdg-open, or open on macOS).",
      cxxopts::value(open_));
  add("timeout", "How long to wait for a ready pod (Go duration; default 5m).",
      cxxopts::value(timeout_text_));
}

Result<void> PortForwardOptions::Complete(Factory& factory, const std::vector<std::string>& args) {
  args_ = args;
  if (!args_.empty()) name_ = args_[0];
  if (args_.size() == 2) {
    auto ports = ParsePortSpec(args_[1]);
    if (!ports) return std::move(ports).error();
    ports_ = *ports;
  }
  if (auto timeout = kubeapi::ParseGoDuration(timeout_text_)) {
    timeout_ = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  } else {
    problems_.push_back("invalid --timeout \"" + timeout_text_ + "\" (e.g. 5m, 90s)");
  }
  auto client = factory.Client();
  if (!client) return std::move(client).error();
  client_ = std::move(*client);
  namespace_ = client_->config().namespace_name;
  return {};
}

Result<void> PortForwardOptions::Validate() const {
  if (args_.empty()) return Error::Usage("port-forward needs the installation NAME");
  if (args_.size() > 2) {
    return Error::Usage("port-forward takes NAME and at most one LOCAL[:REMOTE], got " +
                        std::to_string(args_.size()) + " arguments");
  }
  if (!problems_.empty()) return Error::Usage(problems_.front());
  return {};
}

Result<std::string> PortForwardOptions::PodSelector() {
  auto service = client_->rest().Get(*kubeapi::BuiltinMapping("v1", "Service"), namespace_, name_);
  if (!service && !IsNotFound(service.error())) return std::move(service).error();
  std::string selector;
  const rapidjson::Value* spec = service ? FindMember(*service, "spec") : nullptr;
  const rapidjson::Value* labels = spec != nullptr ? FindMember(*spec, "selector") : nullptr;
  if (labels != nullptr && labels->IsObject()) {
    for (const auto& label : labels->GetObject()) {
      if (!label.value.IsString()) continue;
      selector += (selector.empty() ? "" : ",") + std::string(label.name.GetString()) + "=" +
                  label.value.GetString();
    }
  }
  if (selector.empty())
    selector = std::string("app=mattermost,") + kInstallationLabel + "=" + name_;
  return selector;
}

Result<void> PortForwardOptions::Run(IOStreams& streams) {
  kubeapi::CancellationToken cancel;
  InterruptGuard interrupt(cancel);  // before any thread starts
  auto mapping = client_->mapper().Mapping(kMattermostApiVersion, kMattermostKind);
  if (!mapping) return std::move(mapping).error();
  auto mattermost = client_->rest().Get(*mapping, namespace_, name_);
  if (!mattermost) return std::move(mattermost).error();
  auto selector = PodSelector();
  if (!selector) return std::move(selector).error();
  auto listener = kubeapi::LocalListener::Listen(address_, ports_.local, !ports_.local_given);
  if (!listener) return std::move(listener).error();

  ReadyPods pods;
  std::optional<Error> watch_failure;
  std::thread watcher([&] {
    kubeapi::Informer informer(client_->rest(), *kubeapi::BuiltinMapping("v1", "Pod"), namespace_,
                               {.label_selector = *selector});
    auto forever = kubeapi::RealClock().Now() + std::chrono::hours(24 * 365);
    auto ran = informer.Run(
        [&](const kubeapi::WatchEvent*, const kubeapi::ObjectStore& store) {
          pods.Update(store);
          return kubeapi::WatchDecision::kContinue;
        },
        kubeapi::RealClock(), forever, &cancel);
    if (!ran && ran.error().kind() != ErrorKind::kInterrupted) {
      watch_failure = ran.error().Wrap("watching the pods of " + name_);
      cancel.Cancel();
    }
  });
  Result<void> served = Serve(streams, *listener, pods, cancel);
  cancel.Cancel();
  watcher.join();
  if (watch_failure) return *watch_failure;
  if (interrupt.interrupted()) return Error::Interrupted("interrupted");
  return served;
}

Result<void> PortForwardOptions::Serve(IOStreams& streams, kubeapi::LocalListener& listener,
                                       ReadyPods& pods, kubeapi::CancellationToken& cancel) {
  auto deadline = std::chrono::steady_clock::now() + timeout_;
  bool synced = pods.WaitForSync(deadline, cancel);
  if (!synced || pods.Pick().empty()) {
    if (synced) streams.err << "Waiting for a ready pod of " << name_ << " ...\n" << std::flush;
    if (!pods.WaitForReady(deadline, cancel)) {
      if (cancel.IsCancelled()) return Error::Interrupted("interrupted");
      return Error::Timeout("timed out after " + timeout_text_ + " waiting for a ready pod of " +
                            namespace_ + "/" + name_);
    }
  }
  if (listener.fell_back()) {
    streams.err << "Port " << ports_.local << " on " << listener.address()
                << " is in use; forwarding from port " << listener.port() << " instead\n";
  }
  std::string url = "http://" + HostPort(listener.address(), listener.port());
  std::string pod = pods.Pick();
  streams.out << "Forwarding from " << HostPort(listener.address(), listener.port()) << " -> "
              << ports_.remote << "\n"
              << "Mattermost " << name_ << " is at " << url << " (pod " << pod
              << "); Ctrl-C stops forwarding\n"
              << std::flush;
  if (open_) {
    std::string problem = OpenInBrowser(url);
    streams.err << (problem.empty() ? "Opening " + url + " in a browser (" + BrowserOpener() + ")"
                                    : "--open: " + problem + "; open " + url + " yourself")
                << "\n";
  }
  auto pick = [&]() -> Result<kubeapi::PortForwardTarget> {
    if (!pods.WaitForReady(std::chrono::steady_clock::now() + kReplacementWait, cancel)) {
      return Error::Transport("no ready pod of " + name_ + " to forward a connection to");
    }
    std::string chosen = pods.Pick();
    if (chosen != pod) {
      pod = chosen;
      std::lock_guard<std::mutex> lock(output_mutex_);
      streams.err << "Forwarding new connections to pod " << pod << "\n" << std::flush;
    }
    return kubeapi::PortForwardTarget{namespace_, chosen, ports_.remote};
  };
  auto report = [&](const Error& error) {
    std::lock_guard<std::mutex> lock(output_mutex_);
    streams.err << "error: port-forward: " << error.message() << "\n" << std::flush;
  };
  kubeapi::PortForwarder forwarder(*client_, listener, pick, report);
  return forwarder.Run(cancel);
}

CommandSpec PortForwardCommandSpec() {
  return {
      .name = "port-forward",
      .summary = "Forward a local port to a Mattermost installation",
      .description =
          "Wait until a pod of the installation's Service is ready, then forward local "
          "connections to it (port 8065 by default; a free port is chosen, and printed, when "
          "8065 is taken). Every connection gets its own WebSocket stream, so a browser's many "
          "connections run at once; when the pod goes away, new connections go to another ready "
          "pod. Ctrl-C stops forwarding.",
      .usage = "NAME [LOCAL[:REMOTE]] [--address 127.0.0.1] [--open] [--timeout 5m] [-n NS]",
      .examples =
          "  # Forward localhost:8065 to the installation 'chat'\n"
          "  $ port-forward chat\n"
          "  # Listen on port 9000 on every interface, to the pods' port 8065\n"
          "  $ port-forward chat 9000:8065 --address 0.0.0.0",
      .make = [] { return std::make_unique<PortForwardOptions>(); },
  };
}

}  // namespace mm
