#include "kubeapi/h2_client_session.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>
#include <vector>

#include "kubeapi/body_sink.h"

namespace mm::kubeapi {
namespace {

constexpr std::string_view kFailurePrefix = "Unable to connect to the server: ";

// Headers HTTP/2 forbids in requests (RFC 9113 §8.2.2), and Host, which :authority replaces.
bool IsDroppedHeader(std::string_view name, std::string_view value) {
  static constexpr std::array<std::string_view, 7> kDropped = {
      "connection", "keep-alive", "proxy-connection", "transfer-encoding",
      "upgrade",    "host",       "content-length"};  // content-length: set from the body
  if (name == "te") return value != "trailers";
  return std::find(kDropped.begin(), kDropped.end(), name) != kDropped.end();
}

// HPACK must never index credentials into the connection's shared table (RFC 7541 §7.1.3).
bool IsSensitiveHeader(std::string_view name) {
  return name == "authorization" || name == "proxy-authorization" || name == "cookie";
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const uint8_t* Bytes(std::string_view text) {
  return reinterpret_cast<const uint8_t*>(text.data());
}

nghttp2_nv Field(std::string_view name, std::string_view value, uint8_t flags = 0) {
  return {const_cast<uint8_t*>(Bytes(name)), const_cast<uint8_t*>(Bytes(value)), name.size(),
          value.size(), flags};
}

// The request's header block: pseudo-headers first, then the allowed headers, lower-cased.
// `storage` owns the lower-cased names and the content length the fields point into.
Result<std::vector<nghttp2_nv>> HeaderBlock(const HttpRequest& request, std::string_view authority,
                                            std::string_view path,
                                            std::vector<std::string>& storage) {
  storage.reserve(request.headers.size() + 1);
  std::vector<nghttp2_nv> fields = {Field(":method", request.method), Field(":scheme", "https"),
                                    Field(":authority", authority),
                                    Field(":path", path.empty() ? std::string_view("/") : path)};
  for (const auto& [name, value] : request.headers) {
    std::string& lower = storage.emplace_back(Lower(name));
    if (IsDroppedHeader(lower, value)) continue;
    if (lower.empty() || lower[0] == ':' ||
        !nghttp2_check_header_name(Bytes(lower), lower.size())) {
      return Error::Invalid("header name \"" + name + "\" cannot be sent over HTTP/2");
    }
    if (!nghttp2_check_header_value(Bytes(value), value.size())) {
      return Error::Invalid("header " + name + " has a value HTTP/2 cannot carry (CR, LF or NUL)");
    }
    fields.push_back(Field(lower, value, IsSensitiveHeader(lower) ? NGHTTP2_NV_FLAG_NO_INDEX : 0));
  }
  const std::string& method = request.method;
  if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    storage.push_back(std::to_string(request.body.size()));
    fields.push_back(Field("content-length", storage.back()));
  }
  return fields;
}

}  // namespace

struct H2ClientSession::Stream {
  const HttpRequest* request = nullptr;
  bool decode_gzip = false;
  size_t body_sent = 0;
  HttpResponse response;
  std::unique_ptr<BodySink> sink;  // the final response's body goes here (once its headers came)
  bool headers_done = false;  // the final (non-1xx) header block arrived; later ones are trailers
  bool end_stream = false;    // the server's END_STREAM arrived: the response is complete
  bool reset_by_peer = false;
  bool refused = false;  // failed unprocessed: GOAWAY above its id, or REFUSED_STREAM
  bool stopped_by_consumer = false;
  bool finished = false;

  // Ends the stream as failed with `message` (after the failure prefix), unless it has ended.
  void Fail(std::string_view message) {
    if (finished) return;
    finished = true;
    response = HttpResponse{.failure = NetworkFailure::kOther,
                            .failure_message = std::string(kFailurePrefix) + std::string(message),
                            .http2 = true};
  }
};

// nghttp2's callbacks, with the session as user data.
struct H2ClientSession::Callbacks {
  static H2ClientSession& Self(void* user) { return *static_cast<H2ClientSession*>(user); }

  static int OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                      size_t name_size, const uint8_t* value, size_t value_size, uint8_t,
                      void* user) {
    Stream* stream = Self(user).Find(frame->hd.stream_id);
    if (stream == nullptr || stream->headers_done || frame->hd.type != NGHTTP2_HEADERS) return 0;
    std::string_view key(reinterpret_cast<const char*>(name), name_size);
    std::string_view text(reinterpret_cast<const char*>(value), value_size);
    if (key == ":status") {  // nghttp2 checked it is three digits and comes first
      std::from_chars(text.data(), text.data() + text.size(), stream->response.status);
      stream->response.headers.clear();  // an interim (1xx) response's headers are not kept
    } else if (!key.starts_with(':')) {
      // nghttp2 rejects upper-case names in received fields, so names are lower-case already.
      stream->response.headers.emplace_back(key, text);
    }
    return 0;
  }

  static int OnFrameRecv(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
    H2ClientSession& self = Self(user);
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      const nghttp2_goaway& goaway = frame->goaway;
      self.OnGoaway(goaway.last_stream_id, goaway.error_code,
                    std::string_view(reinterpret_cast<const char*>(goaway.opaque_data),
                                     goaway.opaque_data_len));
      return 0;
    }
    Stream* stream = self.Find(frame->hd.stream_id);
    if (stream == nullptr) return 0;
    if (frame->hd.type == NGHTTP2_HEADERS && stream->response.status >= 200 &&
        !stream->headers_done) {
      stream->headers_done = true;
      StartBody(session, frame->hd.stream_id, *stream);
    }
    if (frame->hd.type == NGHTTP2_RST_STREAM) stream->reset_by_peer = true;
    if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0) {
      stream->end_stream = true;
      if (stream->sink && !stream->finished) {
        Result<void> ended = stream->sink->Finish();  // a gzip body cut short fails here
        if (!ended) stream->Fail(ended.error().message());
      }
    }
    return 0;
  }

  // The final response's headers arrived: its body goes through a BodySink from now on (decoded
  // from gzip when the request offered it, sized from Content-Length when collected). A
  // Content-Encoding the client cannot decode fails the stream and resets it.
  static void StartBody(nghttp2_session* session, int32_t stream_id, Stream& stream) {
    stream.sink = std::make_unique<BodySink>(*stream.request, stream.response, stream.decode_gzip);
    if (Result<void> started = stream.sink->Start(); !started) {
      stream.sink.reset();
      stream.Fail(started.error().message());
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_CANCEL);
    }
  }

  static int OnData(nghttp2_session* session, uint8_t, int32_t stream_id, const uint8_t* data,
                    size_t size, void* user) {
    Stream* stream = Self(user).Find(stream_id);
    if (stream == nullptr || stream->finished || !stream->sink) return 0;
    if (stream->sink->Put(std::string_view(reinterpret_cast<const char*>(data), size))) return 0;
    if (stream->sink->stopped_by_consumer()) {
      // The consumer has what it wanted: the response ends here, successfully.
      stream->stopped_by_consumer = true;
      stream->finished = true;
    } else {
      stream->Fail(stream->sink->error());  // the body could not be decoded
    }
    nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_CANCEL);
    return 0;
  }

  static int OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* user) {
    Self(user).FinishStream(stream_id, error_code);
    return 0;
  }

  static int OnError(nghttp2_session*, int, const char* message, size_t size, void* user) {
    Self(user).last_error_.assign(message, size);
    return 0;
  }

  // Copies the next piece of a request body into a DATA frame nghttp2 is building.
  static ssize_t ReadBody(nghttp2_session*, int32_t stream_id, uint8_t* buffer, size_t size,
                          uint32_t* flags, nghttp2_data_source*, void* user) {
    Stream* stream = Self(user).Find(stream_id);
    if (stream == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // cancelled: reset it
    const std::string& body = stream->request->body;
    size_t n = std::min(size, body.size() - stream->body_sent);
    if (n > 0) std::memcpy(buffer, body.data() + stream->body_sent, n);
    stream->body_sent += n;
    if (stream->body_sent == body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

namespace {

struct CallbacksDeleter {
  void operator()(nghttp2_session_callbacks* callbacks) const {
    nghttp2_session_callbacks_del(callbacks);
  }
};
struct OptionDeleter {
  void operator()(nghttp2_option* option) const { nghttp2_option_del(option); }
};

}  // namespace

H2ClientSession::H2ClientSession(H2SessionOptions options) : options_(options) {}

H2ClientSession::~H2ClientSession() { nghttp2_session_del(session_); }

Result<std::unique_ptr<H2ClientSession>> H2ClientSession::Create(H2SessionOptions options) {
  const Error out_of_memory = Error::Transport("http2: nghttp2 could not allocate a session");
  nghttp2_session_callbacks* raw_callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&raw_callbacks) != 0) return out_of_memory;
  std::unique_ptr<nghttp2_session_callbacks, CallbacksDeleter> callbacks(raw_callbacks);
  nghttp2_session_callbacks_set_on_header_callback(raw_callbacks, Callbacks::OnHeader);
  nghttp2_session_callbacks_set_on_frame_recv_callback(raw_callbacks, Callbacks::OnFrameRecv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(raw_callbacks, Callbacks::OnData);
  nghttp2_session_callbacks_set_on_stream_close_callback(raw_callbacks, Callbacks::OnStreamClose);
  nghttp2_session_callbacks_set_error_callback2(raw_callbacks, Callbacks::OnError);
  nghttp2_option* raw_option = nullptr;
  if (nghttp2_option_new(&raw_option) != 0) return out_of_memory;
  std::unique_ptr<nghttp2_option, OptionDeleter> option(raw_option);
  // Until the server's SETTINGS arrive, at most 100 streams at once (RFC 9113 §6.5.2 advice).
  nghttp2_option_set_peer_max_concurrent_streams(raw_option, 100);

  std::unique_ptr<H2ClientSession> self(new H2ClientSession(options));
  if (nghttp2_session_client_new2(&self->session_, raw_callbacks, self.get(), raw_option) != 0) {
    return out_of_memory;
  }
  const std::array<nghttp2_settings_entry, 2> settings = {{
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<uint32_t>(options.stream_window)},
  }};
  if (nghttp2_submit_settings(self->session_, NGHTTP2_FLAG_NONE, settings.data(),
                              settings.size()) != 0 ||
      nghttp2_session_set_local_window_size(self->session_, NGHTTP2_FLAG_NONE, 0,
                                            options.connection_window) != 0) {
    return Error::Transport("http2: invalid flow-control windows");
  }
  return self;
}

H2ClientSession::Stream* H2ClientSession::Find(int32_t stream_id) {
  auto it = streams_.find(stream_id);
  return it == streams_.end() ? nullptr : it->second.get();
}

Result<int32_t> H2ClientSession::Submit(const HttpRequest& request, std::string_view authority,
                                        std::string_view path_and_query, bool decode_gzip) {
  if (!Reusable()) {
    std::string_view why = failure_message_;
    if (why.starts_with(kFailurePrefix)) why.remove_prefix(kFailurePrefix.size());
    return Error::Transport("http2: the connection takes no new requests" +
                            (why.empty() ? "" : " (" + std::string(why) + ")"));
  }
  std::vector<std::string> storage;
  Result<std::vector<nghttp2_nv>> fields = HeaderBlock(request, authority, path_and_query, storage);
  if (!fields) return std::move(fields).error();
  nghttp2_data_provider provider{};
  provider.read_callback = Callbacks::ReadBody;
  int32_t id = nghttp2_submit_request(session_, nullptr, fields->data(), fields->size(),
                                      request.body.empty() ? nullptr : &provider, nullptr);
  if (id < 0) {
    return Error::Transport(std::string(kFailurePrefix) + "http2: " + nghttp2_strerror(id));
  }
  auto stream = std::make_unique<Stream>();
  stream->request = &request;
  stream->decode_gzip = decode_gzip;
  stream->response.http2 = true;
  streams_.emplace(id, std::move(stream));
  return id;
}

Result<void> H2ClientSession::Receive(std::string_view bytes) {
  ssize_t used = nghttp2_session_mem_recv(session_, Bytes(bytes), bytes.size());
  if (used < 0) {
    FailAll(NetworkFailure::kOther,
            std::string(kFailurePrefix) + "http2: " + nghttp2_strerror(static_cast<int>(used)));
    return Error::Transport(failure_message_);
  }
  // nghttp2 answers a connection error by queuing GOAWAY, after which it allows no request.
  if (!failed_ && !goaway_received_ && !nghttp2_session_check_request_allowed(session_)) {
    FailAll(NetworkFailure::kOther, std::string(kFailurePrefix) +
                                        "http2: the server broke the protocol" +
                                        (last_error_.empty() ? "" : ": " + last_error_));
    return Error::Transport(failure_message_);
  }
  EndIfDone();
  return {};
}

void H2ClientSession::TakeOutput(std::string& out) {
  while (true) {
    const uint8_t* data = nullptr;
    ssize_t size = nghttp2_session_mem_send(session_, &data);
    if (size <= 0) {
      if (size < 0) {
        FailAll(NetworkFailure::kOther,
                std::string(kFailurePrefix) + "http2: " + nghttp2_strerror(static_cast<int>(size)));
      }
      break;
    }
    out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
  }
  EndIfDone();
}

bool H2ClientSession::WantsWrite() const { return nghttp2_session_want_write(session_) != 0; }

// Once nghttp2 will read nothing more (GOAWAY exchanged and its streams closed, or a protocol
// error's GOAWAY sent), no unfinished stream can ever finish.
void H2ClientSession::EndIfDone() {
  if (nghttp2_session_want_read(session_) != 0 || nghttp2_session_want_write(session_) != 0) return;
  FailAll(NetworkFailure::kConnectionLost,
          goaway_text_.empty() ? std::string(kFailurePrefix) + "http2: the connection ended"
                               : goaway_text_);
}

void H2ClientSession::OnGoaway(int32_t last_stream_id, uint32_t error_code,
                               std::string_view debug) {
  goaway_received_ = true;
  goaway_last_stream_id_ = last_stream_id;
  goaway_text_ = std::string(kFailurePrefix) +
                 "http2: server sent GOAWAY and closed the connection; LastStreamID=" +
                 std::to_string(last_stream_id) +
                 ", ErrCode=" + nghttp2_http2_strerror(error_code) + ", debug=\"" +
                 std::string(debug) + "\"";
}

void H2ClientSession::FinishStream(int32_t stream_id, uint32_t error_code) {
  Stream* stream = Find(stream_id);
  if (stream == nullptr || stream->finished) return;
  stream->finished = true;
  if (stream->end_stream) return;  // complete (a RST_STREAM after END_STREAM changes nothing)
  std::string message;
  NetworkFailure failure = NetworkFailure::kConnectionLost;
  if (goaway_received_ && stream_id > goaway_last_stream_id_) {
    message = goaway_text_;
    stream->refused = true;
  } else if (stream->reset_by_peer) {
    stream->refused = error_code == NGHTTP2_REFUSED_STREAM;
    message = std::string(kFailurePrefix) + "stream error: stream ID " + std::to_string(stream_id) +
              "; " + nghttp2_http2_strerror(error_code) + "; received from peer";
  } else if (error_code != NGHTTP2_NO_ERROR) {  // nghttp2 reset it: a malformed response
    failure = NetworkFailure::kOther;
    message = std::string(kFailurePrefix) + "stream error: stream ID " + std::to_string(stream_id) +
              "; " + nghttp2_http2_strerror(error_code) +
              (last_error_.empty() ? "" : "; " + last_error_);
  } else {
    message = std::string(kFailurePrefix) + "unexpected EOF";
  }
  stream->response =
      HttpResponse{.failure = failure, .failure_message = std::move(message), .http2 = true};
}

bool H2ClientSession::Finished(int32_t stream) const {
  auto it = streams_.find(stream);
  return it == streams_.end() || it->second->finished;
}

bool H2ClientSession::Refused(int32_t stream) const {
  auto it = streams_.find(stream);
  return it != streams_.end() && it->second->finished && it->second->refused;
}

HttpResponse H2ClientSession::TakeResponse(int32_t stream) {
  auto it = streams_.find(stream);
  if (it == streams_.end() || !it->second->finished) {
    return HttpResponse{
        .failure = NetworkFailure::kOther,
        .failure_message = "http2: no finished response on stream " + std::to_string(stream),
        .http2 = true};
  }
  HttpResponse response = std::move(it->second->response);
  streams_.erase(it);
  return response;
}

void H2ClientSession::Cancel(int32_t stream) {
  streams_.erase(stream);
  if (nghttp2_session_find_stream(session_, stream) != nullptr) {
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream, NGHTTP2_CANCEL);
  }
}

void H2ClientSession::FailAll(NetworkFailure failure, std::string_view message) {
  if (!failed_) failure_message_ = message;
  failed_ = true;
  for (auto& [id, stream] : streams_) {
    if (stream->finished) continue;
    stream->finished = true;
    stream->response =
        HttpResponse{.failure = failure, .failure_message = std::string(message), .http2 = true};
  }
}

bool H2ClientSession::Reusable() const {
  return !failed_ && !goaway_received_ && nghttp2_session_check_request_allowed(session_) != 0;
}

}  // namespace mm::kubeapi
