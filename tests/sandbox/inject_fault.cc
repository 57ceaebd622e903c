// Carries out an injected fault (faults.h) on a served response.
#include "tests/sandbox/api_call.h"
#include "tests/sandbox/fault_stream.h"
#include "tests/sandbox/status.h"

namespace sandbox {

void ApiServer::InjectFault(const Call& call, Response& response) const {
  const FaultAction& fault = *call.fault;
  switch (fault.kind) {
    case FaultKind::kLatency:
      response.delay = fault.delay;
      break;
    case FaultKind::kTruncate:
      if (!response.stream) response.body.resize(response.body.size() / 2);
      break;
    case FaultKind::kReset:
    case FaultKind::kDropWatch:
      if (response.stream) {
        response.stream = std::make_shared<FaultStream>(
            response.stream, fault.after,
            fault.kind == FaultKind::kReset ? StreamCut::kResetMidEvent : StreamCut::kReset);
      } else {
        response.reset_after_bytes = response.body.size() / 2;
      }
      break;
    case FaultKind::kExpired:
      if (response.stream) {
        std::string requested = call.req.Query("resourceVersion");
        mm::ApiStatus gone =
            Expired("too old resource version: " + (requested.empty() ? "0" : requested) + " (" +
                    std::to_string(store_.rv() + 1) + ")");
        response.stream = std::make_shared<FaultStream>(
            response.stream, fault.after, StreamCut::kError,
            R"({"type":"ERROR","object":)" + StatusJson(gone) + "}\n");
      }
      break;
    default:
      break;  // answered before serving
  }
}

}  // namespace sandbox
