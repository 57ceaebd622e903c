#include "kubeapi/transfer_failure.h"

#include <openssl/x509_vfy.h>

#include <cerrno>

#include "kubeapi/file_util.h"

namespace mm::kubeapi {
namespace {

std::string DescribeVerification(const TransferFailure& failure) {
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
std::string DescribeProxyFailure(const TransferFailure& failure) {
  if (failure.proxy_connect_code != 0 && failure.proxy_connect_code != 200) {
    return "proxy " + failure.proxy + " refused the tunnel (CONNECT answered " +
           std::to_string(failure.proxy_connect_code) + ")";
  }
  switch (failure.error) {
    case TransferError::kCouldNotConnect:
      return "proxyconnect tcp: dial tcp " + failure.proxy + ": connect: " +
             GoErrnoText(static_cast<int>(failure.os_errno == 0 ? ECONNREFUSED : failure.os_errno));
    case TransferError::kCouldNotResolveProxy:
      return "proxyconnect tcp: dial tcp: lookup " + failure.proxy + ": no such host";
    case TransferError::kPeerFailedVerification:  // an https:// proxy's certificate
      return "proxyconnect tcp: " + DescribeVerification(failure);
    case TransferError::kTlsHandshake:
      return "proxyconnect tcp: tls: " + failure.detail;
    case TransferError::kProtocol:
      return "proxyconnect tcp: the proxy did not answer CONNECT with HTTP";
    default:
      return "";
  }
}

}  // namespace

NetworkFailure ClassifyTransferFailure(const TransferFailure& failure) {
  // A proxy that refused the tunnel (407, 403, 502 ...) answers the same on a retry.
  if (failure.proxy_connect_code != 0 && failure.proxy_connect_code != 200) {
    return NetworkFailure::kOther;
  }
  switch (failure.error) {
    case TransferError::kCouldNotConnect:
      return NetworkFailure::kConnect;
    case TransferError::kSendError:
    case TransferError::kReceiveError:
    case TransferError::kGotNothing:
    case TransferError::kPartialBody:
    case TransferError::kHttp2:
      return NetworkFailure::kConnectionLost;
    case TransferError::kTimedOut:
      return NetworkFailure::kTimeout;
    case TransferError::kAborted:
      return NetworkFailure::kCancelled;
    default:
      return NetworkFailure::kOther;
  }
}

std::string DescribeTransferFailure(const TransferFailure& failure) {
  const std::string prefix = "Unable to connect to the server: ";
  if (!failure.proxy.empty()) {
    if (std::string text = DescribeProxyFailure(failure); !text.empty()) return prefix + text;
  }
  switch (failure.error) {
    case TransferError::kCouldNotConnect:
      if (failure.os_errno == ECONNREFUSED || failure.os_errno == 0) {
        return "The connection to the server " + failure.authority +
               " was refused - did you specify the right host or port?";
      }
      return prefix + "dial tcp " + failure.authority +
             ": connect: " + GoErrnoText(static_cast<int>(failure.os_errno));
    case TransferError::kCouldNotResolveHost:
      return prefix + "dial tcp: lookup " + failure.authority + ": no such host";
    case TransferError::kTimedOut:
      return prefix + "net/http: request canceled (Client.Timeout exceeded while awaiting headers)";
    case TransferError::kAborted:
      return prefix + "context canceled";
    case TransferError::kPeerFailedVerification:
      return prefix + DescribeVerification(failure);
    case TransferError::kGotNothing:
    case TransferError::kReceiveError:
    case TransferError::kSendError:
    case TransferError::kPartialBody:
      if (failure.os_errno == ECONNRESET) {
        return prefix + "read tcp " + failure.authority + ": read: connection reset by peer";
      }
      return prefix + (failure.received_response ? "unexpected EOF" : "EOF");
    default:
      break;
  }
  return prefix + (failure.detail.empty() ? "unknown error" : failure.detail);
}

HttpResponse FailedResponse(const TransferFailure& failure) {
  HttpResponse response;
  response.failure = ClassifyTransferFailure(failure);
  response.failure_message = DescribeTransferFailure(failure);
  return response;
}

}  // namespace mm::kubeapi
