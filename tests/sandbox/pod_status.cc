#include "tests/sandbox/pod_status.h"

namespace sandbox {
namespace {

int ExitCode(const Json& terminated) {
  const Json* code = Member(terminated, "exitCode");
  return code != nullptr && code->IsInt() ? code->GetInt() : 0;
}

// The reason of a terminated state: its own, else Signal:N or ExitCode:N.
std::string TerminatedReason(const Json& terminated) {
  std::string reason = Str(terminated, "reason");
  if (!reason.empty()) return reason;
  const Json* signal = Member(terminated, "signal");
  if (signal != nullptr && signal->IsInt() && signal->GetInt() != 0) {
    return "Signal:" + std::to_string(signal->GetInt());
  }
  return "ExitCode:" + std::to_string(ExitCode(terminated));
}

bool Initializing(const Json& pod, std::string& reason) {
  const Json* inits = AtPath(pod, "status.initContainerStatuses");
  if (inits == nullptr || !inits->IsArray()) return false;
  rapidjson::SizeType i = 0;
  for (const auto& c : inits->GetArray()) {
    const Json* terminated = AtPath(c, "state.terminated");
    const Json* waiting = AtPath(c, "state.waiting");
    if (terminated != nullptr && ExitCode(*terminated) == 0) {
      ++i;
      continue;
    }
    if (terminated != nullptr) {
      reason = "Init:" + TerminatedReason(*terminated);
    } else if (waiting != nullptr && !Str(*waiting, "reason").empty() &&
               Str(*waiting, "reason") != "PodInitializing") {
      reason = "Init:" + Str(*waiting, "reason");
    } else {
      reason = "Init:" + std::to_string(i) + "/" + std::to_string(inits->Size());
    }
    return true;
  }
  return false;
}

}  // namespace

std::string PodStatusReason(const Json& pod) {
  const Json* status = Member(pod, "status");
  std::string reason = status ? Str(*status, "reason") : "";
  if (reason.empty())
    reason = status && !Str(*status, "phase").empty() ? Str(*status, "phase") : "Pending";
  if (!Initializing(pod, reason)) {
    const Json* containers = AtPath(pod, "status.containerStatuses");
    bool running = false;
    if (containers != nullptr && containers->IsArray()) {
      for (rapidjson::SizeType n = containers->Size(); n-- > 0;) {
        const Json& c = (*containers)[n];
        const Json* waiting = AtPath(c, "state.waiting");
        const Json* terminated = AtPath(c, "state.terminated");
        const Json* ready = Member(c, "ready");
        if (waiting != nullptr && !Str(*waiting, "reason").empty()) {
          reason = Str(*waiting, "reason");
        } else if (terminated != nullptr) {
          reason = TerminatedReason(*terminated);
        } else if (AtPath(c, "state.running") != nullptr && ready && ready->IsTrue()) {
          running = true;
        }
      }
    }
    if (reason == "Completed" && running) reason = "Running";
  }
  if (AtPath(pod, "metadata.deletionTimestamp") != nullptr) reason = "Terminating";
  return reason;
}

}  // namespace sandbox
