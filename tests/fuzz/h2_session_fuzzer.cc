// Fuzzes H2ClientSession's input path: the bytes a server sends, after three requests (a GET, a
// POST with a body larger than the windows, a streamed GET that stops early; the GET and the
// streamed one decode gzip answers as they arrive), arrive in two pieces
// split where the first byte says. Any input must leave the session consistent: every stream
// finishes or stays open, responses are taken, more requests are accepted or refused cleanly.
// The seeds (corpus/h2_session) are server byte streams made with python3-h2 for streams 1, 3, 5.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kubeapi/h2_client_session.h"

using mm::kubeapi::H2ClientSession;
using mm::kubeapi::HttpRequest;
using mm::kubeapi::HttpResponse;
using mm::kubeapi::NetworkFailure;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto created = H2ClientSession::Create({.stream_window = 65535, .connection_window = 65535});
  if (!created) std::abort();
  H2ClientSession& session = **created;
  size_t streamed = 0;
  const HttpRequest get{.headers = {{"Accept", "application/json"}}};
  const HttpRequest post{.method = "POST", .body = std::string(100000, 'b')};
  const HttpRequest watch{.on_body = [&streamed](std::string_view chunk) {
    streamed += chunk.size();
    return streamed < 1000;
  }};
  int32_t ids[3];
  const HttpRequest* requests[3] = {&get, &post, &watch};
  for (int i = 0; i < 3; ++i) {
    auto id = session.Submit(*requests[i], "127.0.0.1:6443", "/api/v1/pods?limit=500", i != 1);
    if (!id) std::abort();
    ids[i] = *id;
  }
  std::string out;
  session.TakeOutput(out);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = size == 0 ? 0 : static_cast<size_t>(data[0]) * size / 256;
  for (std::string_view piece : {input.substr(0, split), input.substr(split)}) {
    if (!session.Receive(piece) && session.Reusable()) std::abort();
    session.TakeOutput(out);
  }
  for (int32_t id : ids) {
    if (!session.Finished(id)) {
      session.Cancel(id);
      continue;
    }
    HttpResponse response = session.TakeResponse(id);
    if (!response.http2) std::abort();
    if ((response.failure == NetworkFailure::kNone) != (response.status != 0)) std::abort();
  }
  if (session.open_streams() != 0) std::abort();
  session.TakeOutput(out);
  if (session.Reusable() && !session.Submit(get, "127.0.0.1:6443", "/version")) std::abort();
  session.FailAll(NetworkFailure::kConnectionLost, "gone");
  return 0;
}
