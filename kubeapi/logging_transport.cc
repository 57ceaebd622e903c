#include "kubeapi/logging_transport.h"

#include <mutex>

#include "kubeapi/redaction.h"

namespace mm::kubeapi {
namespace {

std::mutex& LogMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

std::string_view HttpReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

void LoggingTransport::LogBody(const char* label, std::string_view body) {
  if (body.empty()) return;
  std::string redacted = RedactBody(body);
  size_t limit = verbosity_ >= 10 ? redacted.size() : verbosity_ >= 9 ? 10240 : 1024;
  if (redacted.size() > limit)
    redacted = redacted.substr(0, limit) + " [truncated " +
               std::to_string(redacted.size() - limit) + " chars]";
  out_ << label << ": " << redacted << '\n';
}

HttpResponse LoggingTransport::RoundTrip(const HttpRequest& request) {
  if (verbosity_ < 6) return next_.RoundTrip(request);
  {
    std::lock_guard<std::mutex> lock(LogMutex());
    if (verbosity_ >= 7) {
      out_ << request.method << ' ' << request.url << '\n' << "Request Headers:\n";
      for (const auto& [name, value] : request.headers) {
        out_ << "    " << name << ": " << RedactHeader(name, value) << '\n';
      }
    }
    if (verbosity_ >= 8) LogBody("Request Body", request.body);
  }
  const Clock::TimePoint start = clock_.Now();
  HttpResponse response = next_.RoundTrip(request);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - start);
  // The line is written with one insertion: on an unbuffered stream (stderr) other threads'
  // output then never lands inside it.
  std::string line = request.method + ' ' + request.url;
  if (response.failure == NetworkFailure::kNone) {
    line += ' ' + std::to_string(response.status);
    std::string_view reason = HttpReasonPhrase(response.status);
    if (!reason.empty()) line += ' ' + std::string(reason);
  }
  line += " in " + std::to_string(elapsed.count()) + " milliseconds\n";
  std::lock_guard<std::mutex> lock(LogMutex());
  out_ << line;
  if (verbosity_ >= 8) LogBody("Response Body", response.body);
  return response;
}

}  // namespace mm::kubeapi
