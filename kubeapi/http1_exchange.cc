// HTTP/1.1 on one connection: the request head written by hand, the answer read with Boost.Beast's
// parser into a BodySink (the only Beast HTTP parser instantiation of the client).
#include "kubeapi/http1_exchange.h"

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cctype>
#include <optional>

#include "kubeapi/body_sink.h"

namespace mm::kubeapi {

namespace beast = boost::beast;
namespace http = beast::http;
using error_code = boost::system::error_code;

namespace {

constexpr size_t kReadSize = 64 * 1024;
constexpr size_t kCoalesceBody = 64 * 1024;  // smaller bodies go out with the head in one write
constexpr uint32_t kHeaderLimit = 1 << 20;

// Copies the status and the lower-cased headers of `header` into `response`.
void CopyHeader(const http::response_header<>& header, HttpResponse& response) {
  response.status = header.result_int();
  response.headers.clear();
  for (const auto& field : header) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    response.headers.emplace_back(std::move(name), std::string(field.value()));
  }
}

// A Beast body that hands what it receives to a BodySink. The sink is started (status and headers
// copied into the response) once the header is complete and a body follows; answers without a
// body (204, 304, HEAD, Content-Length: 0) never start it.
struct SinkBody {
  struct value_type {
    BodySink* sink = nullptr;
    HttpResponse* response = nullptr;
    std::string start_error;  // why the sink refused the body, if it did
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>& header, value_type& body)
        : header_(header), body_(body) {}

    void init(const boost::optional<std::uint64_t>&, error_code& ec) {
      ec = {};
      CopyHeader(header_, *body_.response);
      if (Result<void> started = body_.sink->Start(); !started) {
        body_.start_error = started.error().message();
        ec = boost::system::errc::make_error_code(boost::system::errc::operation_canceled);
      }
    }

    template <class ConstBufferSequence>
    size_t put(const ConstBufferSequence& buffers, error_code& ec) {
      ec = {};
      size_t used = 0;
      for (const auto piece : beast::buffers_range_ref(buffers)) {
        if (!body_.sink->Put({static_cast<const char*>(piece.data()), piece.size()})) {
          ec = boost::system::errc::make_error_code(boost::system::errc::operation_canceled);
          return used;
        }
        used += piece.size();
      }
      return used;
    }

    void finish(error_code& ec) { ec = {}; }

   private:
    http::response_header<>& header_;
    value_type& body_;
  };
};

using Parser = http::response_parser<SinkBody>;

bool Breaks(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

TransferFailure IoFailure(const IoResult& io, TransferError on_error, TransferFailure failure) {
  switch (io.status) {
    case IoResult::kCancelled:
      failure.error = TransferError::kAborted;
      break;
    case IoResult::kDeadline:
      failure.error = TransferError::kTimedOut;
      break;
    default:
      failure.error = on_error;
      failure.os_errno = io.os_errno;
      failure.detail = io.detail;
  }
  return failure;
}

void ResetParser(std::optional<Parser>& parser, BodySink& sink, HttpResponse& response, bool head) {
  parser.emplace();
  parser->eager(true);
  parser->body_limit(boost::none);
  parser->header_limit(kHeaderLimit);
  if (head) parser->skip(true);
  parser->get().body().sink = &sink;
  parser->get().body().response = &response;
}

// Reads more of the answer into `buffer`. Returns false with `failure` set when the connection
// failed, ended too early or the wait was stopped; at the end of the connection, a body that runs
// until then is completed.
bool ReadMore(Connection& connection, const HttpRequest& request, SteadyTime deadline,
              Parser& parser, beast::flat_buffer& buffer, TransferFailure& failure) {
  auto space = buffer.prepare(kReadSize);
  IoResult io =
      connection.ReadSome(static_cast<char*>(space.data()), space.size(), request.cancel, deadline);
  buffer.commit(io.bytes);
  failure.received_response = failure.received_response || io.bytes > 0;
  if (io.status == IoResult::kEof && buffer.size() == 0 && parser.got_some()) {
    error_code ec;
    parser.put_eof(ec);  // a body delimited by the end of the connection
    if (!ec && parser.is_done()) return true;
  }
  if (io.status == IoResult::kOk) return true;
  TransferError error = io.status != IoResult::kEof ? TransferError::kReceiveError
                        : failure.received_response ? TransferError::kPartialBody
                                                    : TransferError::kGotNothing;
  failure = IoFailure(io, error, failure);
  return false;
}

// Feeds the buffered bytes to the parser until it is done or needs more; returns its error.
error_code ParseBuffered(Parser& parser, beast::flat_buffer& buffer) {
  while (buffer.size() > 0 && !parser.is_done()) {
    error_code ec;
    buffer.consume(parser.put(buffer.data(), ec));
    if (ec == http::error::need_more) return {};
    if (ec) return ec;
  }
  return {};
}

}  // namespace

std::string FormatHttp1Request(const HttpRequest& request, const RequestFraming& framing) {
  std::string head =
      request.method + " " + framing.target + " HTTP/1.1\r\nHost: " + framing.authority + "\r\n";
  const bool has_accept = !request.Header("Accept").empty();
  const bool has_agent = !request.Header("User-Agent").empty();
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || Breaks(name) || name.find(':') != std::string::npos || Breaks(value)) {
      return "";
    }
    head += name + ": " + value + "\r\n";
  }
  if (!has_accept) head += "Accept: application/json\r\n";
  if (!has_agent && !framing.user_agent.empty())
    head += "User-Agent: " + framing.user_agent + "\r\n";
  if (framing.offer_gzip) head += "Accept-Encoding: gzip\r\n";
  if (!framing.proxy_authorization.empty()) {
    head += "Proxy-Authorization: " + framing.proxy_authorization + "\r\n";
  }
  const std::string& method = request.method;
  if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    head += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  head += "\r\n";
  return head;
}

namespace {

// Writes the request head and body; returns false with `failure` set when that failed.
bool SendRequest(Connection& connection, const HttpRequest& request, const RequestFraming& framing,
                 SteadyTime deadline, TransferFailure& failure) {
  std::string head = FormatHttp1Request(request, framing);
  if (head.empty()) {
    failure.error = TransferError::kProtocol;
    failure.detail = "net/http: invalid header field in the request";
    return false;
  }
  const bool coalesce = request.body.size() <= kCoalesceBody;
  if (coalesce) head += request.body;
  IoResult io = connection.Write(head, request.cancel, deadline);
  if (io.status == IoResult::kOk && !coalesce) {
    io = connection.Write(request.body, request.cancel, deadline);
  }
  if (io.status == IoResult::kOk) return true;
  failure = IoFailure(io, TransferError::kSendError, failure);
  return false;
}

}  // namespace

ExchangeResult ExchangeHttp1(Connection& connection, const HttpRequest& request,
                             const RequestFraming& framing, SteadyTime deadline,
                             HttpResponse& response) {
  ExchangeResult result;
  result.failure.authority = framing.authority;
  if (!SendRequest(connection, request, framing, deadline, result.failure)) return result;
  BodySink sink(request, response, framing.offer_gzip);
  std::optional<Parser> parser;
  ResetParser(parser, sink, response, request.method == "HEAD");
  beast::flat_buffer buffer;
  bool read = true;  // false while the buffer holds an answer after an interim one
  while (true) {
    if (read) {
      if (!ReadMore(connection, request, deadline, *parser, buffer, result.failure)) return result;
      if (parser->is_done()) break;  // the end of the connection ended the body
    }
    error_code ec = ParseBuffered(*parser, buffer);
    if (ec) {
      if (sink.stopped_by_consumer()) return result;  // a success: the consumer has enough
      result.failure.error = TransferError::kProtocol;
      std::string start_error = parser->get().body().start_error;
      result.failure.detail = !start_error.empty()    ? start_error
                              : !sink.error().empty() ? sink.error()
                                                      : "malformed HTTP response: " + ec.message();
      return result;
    }
    read = true;
    if (!parser->is_done()) continue;
    CopyHeader(parser->get().base(), response);  // also for answers without a body
    if (response.status < 100 || response.status >= 200 || response.status == 101) break;
    ResetParser(parser, sink, response, request.method == "HEAD");  // an interim answer
    read = buffer.size() == 0;
  }
  if (Result<void> finished = sink.Finish(); !finished) {
    result.failure.error = TransferError::kProtocol;
    result.failure.detail = finished.error().message();
    return result;
  }
  result.reusable = parser->keep_alive() && buffer.size() == 0 && !sink.stopped_by_consumer();
  return result;
}

}  // namespace mm::kubeapi
