#pragma once
// A completion condition for boost::asio::async_write: Asio's default (transfer_all) hands the
// socket at most 64 KiB per system call, so a 256 KiB bulk write costs four calls and four
// wake-ups of the reader; this one lets each call take everything the kernel accepts.

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <limits>

namespace mm::kubeapi {

struct TransferAllAtOnce {
  size_t operator()(const boost::system::error_code& ec, size_t /*transferred*/) const {
    return ec ? 0 : std::numeric_limits<size_t>::max();
  }
};

}  // namespace mm::kubeapi
