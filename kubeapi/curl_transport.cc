#include "kubeapi/curl_transport.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>

#include "kubeapi/cancellation.h"
#include "kubeapi/curl_errors.h"
#include "kubeapi/url.h"

namespace mm::kubeapi {
namespace {

// State shared with libcurl's callbacks during one transfer.
struct Transfer {
  const HttpRequest* request;
  HttpResponse* response;
  CURL* handle;
  bool stopped_by_consumer = false;
};

// Sizes the body buffer from the response's Content-Length, so a large list is received into one
// allocation instead of a doubling string that copies it about twice (and faults in fresh pages
// at every step). A compressed body's length is a lower bound: the string still grows past it.
void ReserveBody(Transfer& transfer, std::string_view content_length) {
  constexpr uint64_t kMaxReserve = uint64_t{256} << 20;
  uint64_t length = 0;
  auto [end, error] =
      std::from_chars(content_length.data(), content_length.data() + content_length.size(), length);
  if (error != std::errc() || end != content_length.data() + content_length.size()) return;
  transfer.response->body.reserve(static_cast<size_t>(std::min(length, kMaxReserve)));
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    transfer->response->headers.clear();  // a new response (after 100 Continue or a redirect)
    return size * count;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  if (name == "content-length" && !transfer->request->on_body) ReserveBody(*transfer, value);
  transfer->response->headers.emplace_back(std::move(name), std::string(value));
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  long status = 0;
  curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
  std::string_view chunk(data, size * count);
  if (transfer->request->on_body && status >= 200 && status < 300) {
    if (!transfer->request->on_body(chunk)) {
      transfer->stopped_by_consumer = true;
      return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    return chunk.size();
  }
  transfer->response->body.append(chunk);
  return chunk.size();
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  const CancellationToken* cancel = transfer->request->cancel;
  return cancel != nullptr && cancel->IsCancelled() ? 1 : 0;
}

curl_blob Blob(const std::string& bytes) {
  return {const_cast<char*>(bytes.data()), bytes.size(), CURL_BLOB_NOCOPY};
}

std::string NoProxyList() {
  std::string list = "localhost,127.0.0.1,::1";
  for (const char* name : {"NO_PROXY", "no_proxy"}) {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
    if (value != nullptr && *value != '\0') return list + "," + value;
  }
  return list;
}

Result<void> ConfigureTls(CurlEasy& easy, const CurlTransportOptions& options,
                          const ClientIdentity* identity) {
  const TlsConfig& tls = options.tls;
  if (tls.insecure_skip_verify) {
    MM_CURL_SET(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    MM_CURL_SET(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!tls.ca_pem.empty()) {
    // Only the configured CA is trusted, as in client-go: drop libcurl's system bundle.
    curl_blob ca = Blob(tls.ca_pem);
    MM_CURL_SET(easy, CURLOPT_CAINFO_BLOB, &ca);
    MM_CURL_SET(easy, CURLOPT_CAINFO, static_cast<char*>(nullptr));
    MM_CURL_SET(easy, CURLOPT_CAPATH, static_cast<char*>(nullptr));
  }
  if (identity != nullptr && !identity->certificate_pem.empty()) {
    curl_blob cert = Blob(identity->certificate_pem);
    curl_blob key = Blob(identity->key_pem.Reveal());
    MM_CURL_SET(easy, CURLOPT_SSLCERT_BLOB, &cert);
    MM_CURL_SET(easy, CURLOPT_SSLCERTTYPE, "PEM");
    MM_CURL_SET(easy, CURLOPT_SSLKEY_BLOB, &key);
    MM_CURL_SET(easy, CURLOPT_SSLKEYTYPE, "PEM");
  }
  return {};
}

Result<void> ConfigureMethodAndBody(CurlEasy& easy, const HttpRequest& request) {
  if (request.method == "GET" && request.body.empty()) {
    MM_CURL_SET(easy, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    MM_CURL_SET(easy, CURLOPT_NOBODY, 1L);
  } else {
    MM_CURL_SET(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    MM_CURL_SET(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    MM_CURL_SET(easy, CURLOPT_POSTFIELDS, request.body.data());
  }
  return {};
}

Result<void> ConfigureHeaders(CurlEasy& easy, const HttpRequest& request,
                              const std::string& host_header, CurlHeaderList& headers) {
  bool has_accept = false;
  for (const auto& [name, value] : request.headers) {
    MM_RETURN_IF_ERROR(headers.Append(name + ": " + value));
    has_accept = has_accept || name == "Accept";
  }
  if (!has_accept) MM_RETURN_IF_ERROR(headers.Append("Accept: application/json"));
  if (!host_header.empty()) MM_RETURN_IF_ERROR(headers.Append("Host: " + host_header));
  MM_RETURN_IF_ERROR(headers.Append("Expect:"));  // no 100-continue round trip
  MM_CURL_SET(easy, CURLOPT_HTTPHEADER, headers.get());
  return {};
}

// Where the bytes go. With tls-server-name, the URL names that host (so SNI and the certificate
// check use it) and CONNECT_TO sends the bytes to the real one, with the real Host header.
struct Target {
  std::string url;
  std::string connect_to;  // "" or "name:port:host:port"
  std::string host_header;
  curl_slist connect_list{nullptr, nullptr};  // must outlive the transfer
};

Target TargetFor(const CurlTransportOptions& options, const HttpRequest& request,
                 const UrlParts& url) {
  Target target{request.url, "", ""};
  const std::string& name = options.tls.server_name;
  if (!name.empty() && url.scheme == "https" && name != url.host) {
    std::string port = std::to_string(url.port);
    target.url = url.scheme + "://" + name + ":" + port + url.path;
    std::string real_host =
        url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    target.connect_to = name + ":" + port + ":" + real_host + ":" + port;
    target.host_header = url.authority;
  }
  return target;
}

// Sets everything for one transfer on a freshly reset handle.
Result<void> Configure(CurlEasy& easy, const CurlTransportOptions& options,
                       const HttpRequest& request, Target& target, Transfer& transfer,
                       CurlHeaderList& headers) {
  MM_CURL_SET(easy, CURLOPT_URL, target.url.c_str());
  if (!target.connect_to.empty()) {
    target.connect_list.data = target.connect_to.data();
    MM_CURL_SET(easy, CURLOPT_CONNECT_TO, &target.connect_list);
  }
  MM_CURL_SET(easy, CURLOPT_NOSIGNAL, 1L);
  MM_CURL_SET(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  MM_CURL_SET(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  MM_CURL_SET(easy, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
  MM_CURL_SET(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  MM_CURL_SET(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
  if (!options.disable_compression) MM_CURL_SET(easy, CURLOPT_ACCEPT_ENCODING, "gzip");
  if (!options.proxy_url.empty()) {
    MM_CURL_SET(easy, CURLOPT_PROXY, options.proxy_url.c_str());
    // Go's default ports when the URL has none (libcurl would use 1080 for every scheme).
    if (UrlParts proxy; SplitUrl(options.proxy_url, proxy)) {
      MM_CURL_SET(easy, CURLOPT_PROXYPORT, static_cast<long>(proxy.port));
    }
    // An explicit proxy-url applies to every host, loopback too, whatever NO_PROXY says (client-go
    // uses it for every request); an empty list also stops libcurl reading NO_PROXY itself.
    MM_CURL_SET(easy, CURLOPT_NOPROXY, "");
  } else {
    static const std::string kNoProxy = NoProxyList();
    MM_CURL_SET(easy, CURLOPT_NOPROXY, kNoProxy.c_str());
  }
  MM_RETURN_IF_ERROR(ConfigureTls(
      easy, options, request.identity ? request.identity.get() : options.identity.get()));
  MM_RETURN_IF_ERROR(ConfigureMethodAndBody(easy, request));
  MM_RETURN_IF_ERROR(ConfigureHeaders(easy, request, target.host_header, headers));
  MM_CURL_SET(easy, CURLOPT_HEADERFUNCTION, &OnHeader);
  MM_CURL_SET(easy, CURLOPT_HEADERDATA, &transfer);
  MM_CURL_SET(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  MM_CURL_SET(easy, CURLOPT_WRITEDATA, &transfer);
  MM_CURL_SET(easy, CURLOPT_NOPROGRESS, 0L);
  MM_CURL_SET(easy, CURLOPT_XFERINFOFUNCTION, &OnProgress);
  MM_CURL_SET(easy, CURLOPT_XFERINFODATA, &transfer);
  return {};
}

HttpResponse Failure(NetworkFailure kind, std::string message) {
  HttpResponse response;
  response.failure = kind;
  response.failure_message = std::move(message);
  return response;
}

}  // namespace

std::unique_ptr<CurlEasy> CurlTransport::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<CurlEasy> easy = std::move(idle_.back());
      idle_.pop_back();
      return easy;
    }
  }
  Result<std::unique_ptr<CurlEasy>> created = CurlEasy::Create();
  return created ? std::move(*created) : nullptr;
}

void CurlTransport::Release(std::unique_ptr<CurlEasy> easy) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(easy));
}

HttpResponse CurlTransport::RoundTrip(const HttpRequest& request) {
  UrlParts url;
  if (!SplitUrl(request.url, url)) {
    return Failure(NetworkFailure::kOther,
                   "Unable to connect to the server: invalid URL \"" + request.url + "\"");
  }
  std::unique_ptr<CurlEasy> easy = Acquire();
  if (!easy)
    return Failure(NetworkFailure::kOther, "Unable to connect to the server: out of memory");
  curl_easy_reset(easy->get());  // keeps the live connection and TLS session cache
  HttpResponse response;
  Transfer transfer{&request, &response, easy->get()};
  CurlHeaderList headers;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Result<void> configured = easy->Set(CURLOPT_ERRORBUFFER, error_buffer, "CURLOPT_ERRORBUFFER");
  Target target = TargetFor(options_, request, url);
  if (configured) configured = Configure(*easy, options_, request, target, transfer, headers);
  if (!configured) {
    return Failure(NetworkFailure::kOther,
                   "Unable to connect to the server: " + configured.error().message());
  }
  CURLcode code = curl_easy_perform(easy->get());
  if (code == CURLE_WRITE_ERROR && transfer.stopped_by_consumer) code = CURLE_OK;
  if (code != CURLE_OK) {
    CurlFailure failure{code,
                        0,
                        0,
                        error_buffer,
                        url.authority,
                        options_.tls.server_name.empty() ? url.host : options_.tls.server_name,
                        !response.headers.empty()};
    curl_easy_getinfo(easy->get(), CURLINFO_OS_ERRNO, &failure.os_errno);
    curl_easy_getinfo(easy->get(), CURLINFO_SSL_VERIFYRESULT, &failure.ssl_verify_result);
    if (UrlParts proxy; SplitUrl(options_.proxy_url, proxy)) {
      failure.proxy = HostPort(proxy);
      curl_easy_getinfo(easy->get(), CURLINFO_HTTP_CONNECTCODE, &failure.proxy_connect_code);
    }
    if (request.cancel != nullptr && request.cancel->IsCancelled()) {
      failure.code = CURLE_ABORTED_BY_CALLBACK;
    }
    Release(std::move(easy));
    return Failure(ClassifyCurlFailure(failure), DescribeCurlFailure(failure));
  }
  long status = 0;
  long version = 0;
  curl_easy_getinfo(easy->get(), CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(easy->get(), CURLINFO_HTTP_VERSION, &version);
  response.status = static_cast<int>(status);
  response.http2 = version == CURL_HTTP_VERSION_2_0;
  long connects = 0;
  curl_easy_getinfo(easy->get(), CURLINFO_NUM_CONNECTS, &connects);
  response.new_connections = static_cast<int>(connects);
  Release(std::move(easy));
  return response;
}

}  // namespace mm::kubeapi
