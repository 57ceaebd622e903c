#include "kubeapi/pod_exec.h"

#include <charconv>

#include "core/json.h"
#include "kubeapi/pod_stream.h"

namespace mm::kubeapi {
namespace {

constexpr unsigned char kStdin = 0;
constexpr unsigned char kStdout = 1;
constexpr unsigned char kStderr = 2;
constexpr unsigned char kError = 3;
constexpr unsigned char kClose = 255;  // v5: [255, channel] = no more data on channel

std::vector<std::pair<std::string, std::string>> ExecQuery(const ExecRequest& request) {
  std::vector<std::pair<std::string, std::string>> query;
  for (const std::string& argument : request.command) query.emplace_back("command", argument);
  if (!request.container.empty()) query.emplace_back("container", request.container);
  query.emplace_back("stdout", "true");
  query.emplace_back("stderr", "true");
  if (request.stdin_data) query.emplace_back("stdin", "true");
  return query;
}

Result<void> SendStdin(WebSocketConnection& socket, const ExecRequest& request) {
  const std::string& data = *request.stdin_data;
  constexpr size_t kChunk = 32 * 1024;
  for (size_t offset = 0; offset < data.size(); offset += kChunk) {
    std::string message(1, static_cast<char>(kStdin));
    message.append(data, offset, kChunk);
    MM_RETURN_IF_ERROR(socket.Write(message, request.cancel));
  }
  if (socket.protocol() == "v5.channel.k8s.io") {
    const char close[] = {static_cast<char>(kClose), static_cast<char>(kStdin)};
    MM_RETURN_IF_ERROR(socket.Write(std::string_view(close, 2), request.cancel));
  }
  return {};
}

}  // namespace

Result<int> ExitCodeFromStatus(std::string_view json) {
  // The Status on the error channel has no "kind" (kube-api-wire.md §6.2), so it is read here
  // rather than with ParseStatus.
  Result<rapidjson::Document> document = ParseJson(std::string(json));
  if (!document || !document->IsObject() || FindMember(*document, "status") == nullptr) {
    return Error::Invalid("exec: the error channel carried no Status: " + std::string(json));
  }
  if (GetString(*document, "status") == "Success") return 0;
  ApiStatus status;
  status.reason = GetString(*document, "reason");
  status.message = GetString(*document, "message");
  const rapidjson::Value* code = FindMember(*document, "code");
  status.code = code != nullptr && code->IsInt() ? code->GetInt() : 500;
  const rapidjson::Value* details = FindMember(*document, "details");
  const rapidjson::Value* causes = details != nullptr ? FindMember(*details, "causes") : nullptr;
  if (causes != nullptr && causes->IsArray()) {
    for (const rapidjson::Value& cause : causes->GetArray()) {
      status.causes.push_back(
          {GetString(cause, "reason"), GetString(cause, "message"), GetString(cause, "field")});
    }
  }
  if (status.reason == "NonZeroExitCode") {
    for (const StatusCause& cause : status.causes) {
      int exit_code = 0;
      auto [end, error] = std::from_chars(cause.message.data(),
                                          cause.message.data() + cause.message.size(), exit_code);
      if (cause.reason == "ExitCode" && error == std::errc() &&
          end == cause.message.data() + cause.message.size()) {
        return exit_code;
      }
    }
  }
  return Error::Api(status);
}

Result<ExecResult> ExecInPod(Client& client, const ExecRequest& request) {
  if (request.command.empty()) return Error::Usage("exec: a command is required");
  auto socket = OpenPodStream(client, {.namespace_name = request.namespace_name,
                                       .pod = request.pod,
                                       .subresource = "exec",
                                       .query = ExecQuery(request),
                                       .protocols = {"v5.channel.k8s.io", "v4.channel.k8s.io"},
                                       .cancel = request.cancel});
  if (!socket) return std::move(socket).error();
  WebSocketConnection& connection = **socket;
  if (request.stdin_data) MM_RETURN_IF_ERROR(SendStdin(connection, request));
  std::optional<Result<int>> exit_code;
  std::string message;
  while (true) {
    auto read = connection.Read(message, request.cancel, request.deadline);
    if (!read) return std::move(read).error();
    if (!*read) break;  // the server closed the WebSocket
    if (message.empty()) continue;
    std::string_view payload(message.data() + 1, message.size() - 1);
    switch (static_cast<unsigned char>(message[0])) {
      case kStdout:
        if (request.on_stdout) request.on_stdout(payload);
        break;
      case kStderr:
        if (request.on_stderr) request.on_stderr(payload);
        break;
      case kError:
        exit_code = ExitCodeFromStatus(payload);
        break;
      default:
        break;
    }
  }
  connection.Close();
  if (!exit_code) return Error::Transport("exec: the connection closed without an exit status");
  if (!*exit_code) return exit_code->error();
  return ExecResult{.exit_code = **exit_code, .protocol = connection.protocol()};
}

}  // namespace mm::kubeapi
