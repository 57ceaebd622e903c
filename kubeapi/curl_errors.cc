#include "kubeapi/curl_errors.h"

#include <openssl/x509_vfy.h>

#include <cerrno>

#include "kubeapi/file_util.h"

namespace mm::kubeapi {
namespace {

std::string DescribeVerification(const CurlFailure& failure) {
  switch (failure.ssl_verify_result) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "tls: failed to verify certificate: x509: certificate has expired or is not yet "
             "valid";
    default:
      break;
  }
  if (failure.detail.find("no alternative certificate subject name") != std::string::npos ||
      failure.detail.find("does not match target host") != std::string::npos ||
      failure.ssl_verify_result == X509_V_ERR_HOSTNAME_MISMATCH) {
    return "tls: failed to verify certificate: x509: certificate is not valid for " +
           failure.verified_name;
  }
  return "tls: failed to verify certificate: " + failure.detail;
}

// Failures on the way to (or inside) the proxy, in Go's words where Go has them; "" for others.
std::string DescribeProxyFailure(const CurlFailure& failure) {
  if (failure.proxy_connect_code != 0 && failure.proxy_connect_code != 200) {
    return "proxy " + failure.proxy + " refused the tunnel (CONNECT answered " +
           std::to_string(failure.proxy_connect_code) + ")";
  }
  switch (failure.code) {
    case CURLE_COULDNT_CONNECT:
      return "proxyconnect tcp: dial tcp " + failure.proxy + ": connect: " +
             GoErrnoText(static_cast<int>(failure.os_errno == 0 ? ECONNREFUSED : failure.os_errno));
    case CURLE_COULDNT_RESOLVE_PROXY:
      return "proxyconnect tcp: dial tcp: lookup " + failure.proxy + ": no such host";
    default:
      return "";
  }
}

}  // namespace

NetworkFailure ClassifyCurlFailure(const CurlFailure& failure) {
  // A proxy that refused the tunnel (407, 403, 502 ...) answers the same on a retry.
  if (failure.proxy_connect_code != 0 && failure.proxy_connect_code != 200) {
    return NetworkFailure::kOther;
  }
  switch (failure.code) {
    case CURLE_COULDNT_CONNECT:
      return NetworkFailure::kConnect;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return NetworkFailure::kConnectionLost;
    case CURLE_OPERATION_TIMEDOUT:
      return NetworkFailure::kTimeout;
    case CURLE_ABORTED_BY_CALLBACK:
      return NetworkFailure::kCancelled;
    default:
      return NetworkFailure::kOther;
  }
}

std::string DescribeCurlFailure(const CurlFailure& failure) {
  const std::string prefix = "Unable to connect to the server: ";
  if (!failure.proxy.empty()) {
    if (std::string text = DescribeProxyFailure(failure); !text.empty()) return prefix + text;
  }
  switch (failure.code) {
    case CURLE_COULDNT_CONNECT:
      if (failure.os_errno == ECONNREFUSED || failure.os_errno == 0) {
        return "The connection to the server " + failure.authority +
               " was refused - did you specify the right host or port?";
      }
      return prefix + "dial tcp " + failure.authority +
             ": connect: " + GoErrnoText(static_cast<int>(failure.os_errno));
    case CURLE_COULDNT_RESOLVE_HOST:
      return prefix + "dial tcp: lookup " + failure.authority + ": no such host";
    case CURLE_OPERATION_TIMEDOUT:
      return prefix + "net/http: request canceled (Client.Timeout exceeded while awaiting headers)";
    case CURLE_ABORTED_BY_CALLBACK:
      return prefix + "context canceled";
    case CURLE_PEER_FAILED_VERIFICATION:
      return prefix + DescribeVerification(failure);
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      if (failure.os_errno == ECONNRESET) {
        return prefix + "read tcp " + failure.authority + ": read: connection reset by peer";
      }
      return prefix + (failure.received_response ? "unexpected EOF" : "EOF");
    default:
      break;
  }
  return prefix + (failure.detail.empty() ? curl_easy_strerror(failure.code) : failure.detail);
}

}  // namespace mm::kubeapi
