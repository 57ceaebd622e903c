#include "kubeapi/transfer_failure.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace mm::kubeapi {
namespace {

TransferFailure Failure(TransferError error, std::string detail = "") {
  TransferFailure failure;
  failure.error = error;
  failure.detail = std::move(detail);
  failure.authority = "127.0.0.1:6443";
  return failure;
}

TEST(TransferFailureTest, RefusedConnectionReadsAsKubectlSaysIt) {
  EXPECT_EQ(DescribeTransferFailure(Failure(TransferError::kCouldNotConnect)),
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right "
            "host or port?");
}

TEST(TransferFailureTest, OtherFailuresArePrefixedOnce) {
  EXPECT_EQ(DescribeTransferFailure(Failure(TransferError::kProtocol, "malformed status line")),
            "Unable to connect to the server: malformed status line");
  EXPECT_EQ(DescribeTransferFailure(Failure(TransferError::kProtocol)),
            "Unable to connect to the server: unknown error");
}

TEST(TransferFailureTest, HttpSessionThatTakesNoNewStreamsIsPrefixedOnce) {
  // The HTTP/2 session's Submit error (the bare cause) becomes the detail.
  EXPECT_EQ(DescribeTransferFailure(Failure(TransferError::kProtocol,
                                            "http2: the connection takes no new requests (EOF)")),
            "Unable to connect to the server: http2: the connection takes no new requests (EOF)");
}

TEST(TransferFailureTest, ResetConnectionNamesTheServer) {
  TransferFailure failure = Failure(TransferError::kReceiveError);
  failure.os_errno = ECONNRESET;
  EXPECT_EQ(DescribeTransferFailure(failure),
            "Unable to connect to the server: read tcp 127.0.0.1:6443: read: connection reset by "
            "peer");
}

}  // namespace
}  // namespace mm::kubeapi
