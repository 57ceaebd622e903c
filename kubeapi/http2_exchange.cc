#include "kubeapi/http2_exchange.h"

#include <algorithm>
#include <chrono>

namespace mm::kubeapi {
namespace {

constexpr size_t kReadSize = 64 * 1024;
// How long an idle connection's pending bytes may take to form whole TLS records.
constexpr std::chrono::seconds kIdleReadLimit{2};
// Reads of what an idle connection received before it is given up on.
constexpr int kMaxIdleReads = 8;

TransferFailure IoFailure(const IoResult& io, TransferFailure failure) {
  failure.error = io.status == IoResult::kCancelled  ? TransferError::kAborted
                  : io.status == IoResult::kDeadline ? TransferError::kTimedOut
                  : failure.received_response        ? TransferError::kHttp2
                                                     : TransferError::kReceiveError;
  failure.os_errno = io.os_errno;
  failure.detail = io.status == IoResult::kEof ? "unexpected EOF" : io.detail;
  return failure;
}

// The request as the session sends it: the caller's headers plus the ones the transport adds.
HttpRequest WithTransportHeaders(const HttpRequest& request, const RequestFraming& framing,
                                 bool offer_gzip) {
  HttpRequest copy = request;
  if (request.Header("Accept").empty()) copy.headers.emplace_back("Accept", "application/json");
  if (request.Header("User-Agent").empty() && !framing.user_agent.empty()) {
    copy.headers.emplace_back("User-Agent", framing.user_agent);
  }
  if (offer_gzip) copy.headers.emplace_back("Accept-Encoding", "gzip");
  return copy;
}

}  // namespace

ExchangeResult ExchangeHttp2(Connection& connection, H2ClientSession& session,
                             const HttpRequest& request, const RequestFraming& framing,
                             SteadyTime deadline, HttpResponse& response) {
  ExchangeResult result;
  result.failure.authority = framing.authority;
  const HttpRequest sent = WithTransportHeaders(request, framing, framing.offer_gzip);
  Result<int32_t> stream =
      session.Submit(sent, framing.authority, framing.target, framing.offer_gzip);
  if (!stream) {
    result.failure.error = TransferError::kProtocol;
    result.failure.detail = stream.error().message();
    return result;
  }
  std::string output;
  std::string input(kReadSize, '\0');
  while (true) {
    output.clear();
    session.TakeOutput(output);
    if (!output.empty()) {
      IoResult io = connection.Write(output, request.cancel, deadline);
      if (io.status != IoResult::kOk) {
        session.Cancel(*stream);
        result.failure = IoFailure(io, result.failure);
        if (io.status == IoResult::kError) result.failure.error = TransferError::kSendError;
        return result;
      }
    }
    if (session.Finished(*stream)) break;
    IoResult io = connection.ReadSome(input.data(), input.size(), request.cancel, deadline);
    if (io.status != IoResult::kOk) {
      session.Cancel(*stream);
      result.failure = IoFailure(io, result.failure);
      return result;
    }
    result.failure.received_response = true;
    if (Result<void> received = session.Receive({input.data(), io.bytes}); !received) break;
  }
  result.refused = session.Refused(*stream);
  response = session.TakeResponse(*stream);
  response.http2 = true;
  result.reusable = session.Reusable();
  return result;
}

bool RefreshIdleHttp2(Connection& connection, H2ClientSession& session,
                      const CancellationToken* cancel, SteadyTime deadline) {
  std::string input;
  for (int read = 0; session.Reusable() && connection.InputPending(); ++read) {
    if (read == kMaxIdleReads) return false;
    if (input.empty()) input.resize(kReadSize);
    const SteadyTime limit = std::min(deadline, std::chrono::steady_clock::now() + kIdleReadLimit);
    IoResult io = connection.ReadSome(input.data(), input.size(), cancel, limit);
    if (io.status != IoResult::kOk || !session.Receive({input.data(), io.bytes})) return false;
  }
  return session.Reusable() && connection.usable();
}

}  // namespace mm::kubeapi
