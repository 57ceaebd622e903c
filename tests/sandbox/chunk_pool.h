#pragma once
// Reused read buffers for the bytes the simulated kubelet reads from pods' ports and forwards
// (port-forward): the reader reads into a chunk, hands the whole string on (no copy), the
// handler writes its framing into the headroom in front of the data, the WebSocket writer sends
// the slice and gives the string back here once it is on the wire. The steady state then
// allocates and copies nothing per message. Server thread only (thread_local pool).

#include <cstddef>
#include <string>

namespace sandbox {

// Bytes read from a pod's port per chunk, and the spare bytes in front of them for a header.
inline constexpr size_t kChunkData = 256 * 1024;
inline constexpr size_t kChunkHeadroom = 8;
inline constexpr size_t kChunkSize = kChunkHeadroom + kChunkData;

// Returns a string of kChunkSize bytes (contents unspecified): a returned one when there is one,
// else a new one.
std::string TakeChunk();

// Keeps `chunk` for reuse when it is a chunk (kChunkSize bytes) and the pool is not full; else
// frees it.
void ReturnChunk(std::string chunk);

}  // namespace sandbox
