#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "tests/sandbox/sim/workload_ports.h"

namespace sandbox::sim {

// The server side of one connection to a simulated container port: bytes in, bytes out, no I/O
// (the TCP listeners drive it). Kinds and their protocols are in README's image table.
class WorkloadProtocol {
 public:
  virtual ~WorkloadProtocol() = default;
  // Bytes the client sent.
  virtual void Receive(std::string_view bytes) = 0;
  // The client half-closed its side.
  virtual void ReceiveEnd() = 0;
  // Up to `max` bytes of output ready now (empty when none is ready). The view stays valid until
  // the next call into the protocol, so output is written from where it is, without a copy.
  virtual std::string_view Produce(size_t max) = 0;
  // True once every byte was produced and the server closes the connection.
  virtual bool Finished() const = 0;
  // True when the server stops reading for good (a pod that never takes what it is sent); the
  // connection then stays open until the peer or the pod ends it.
  virtual bool Holding() const { return false; }
};

// A fresh server for one connection to a port of `kind`; `version` is what the ping reports.
std::unique_ptr<WorkloadProtocol> MakeWorkloadProtocol(PortKind kind, const std::string& version);

// Byte `index` of what the bulk port streams: 'a'..'z' repeating ('a' + index % 26).
inline char BulkPatternByte(uint64_t index) { return static_cast<char>('a' + index % 26); }

}  // namespace sandbox::sim
