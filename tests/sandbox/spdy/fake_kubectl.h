#pragma once
// Test helper: the client side of a SPDY port-forward or exec, as kubectl behaves (its own header
// compression context, and a decoder that prints what the server sent one line per frame).

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "tests/sandbox/spdy/frame.h"
#include "tests/sandbox/spdy/header_block.h"

namespace sandbox::spdy::fake {

// Concatenates in order (operands of + may be evaluated in any order, and the client's
// compression context makes the order of OpenStream calls matter).
inline std::string Join(std::initializer_list<std::string> pieces) {
  std::string out;
  for (const std::string& piece : pieces) out += piece;
  return out;
}

class FakeKubectl {
 public:
  // A port-forward stream.
  std::string OpenStream(uint32_t id, const std::string& type, const std::string& port,
                         const std::string& request_id, uint8_t flags = 0) {
    HeaderList headers = {{"streamtype", type}, {"port", port}};
    if (!request_id.empty()) headers.emplace_back("requestid", request_id);
    return OpenStream(id, headers, flags);
  }
  // Any stream, e.g. {{"streamtype", "stdout"}} for exec.
  std::string OpenStream(uint32_t id, const HeaderList& headers, uint8_t flags = 0) {
    auto block = compressor_.Compress(headers);
    EXPECT_TRUE(block.ok());
    return EncodeSynStream(SynStream{id, 0, 0, flags, *block});
  }

  // Decodes server output into one line per frame, e.g. "SYN_REPLY 1", "DATA 3 FIN 0 ''".
  std::vector<std::string> Read(const std::string& bytes) {
    reader_.Feed(bytes);
    std::vector<std::string> lines;
    while (true) {
      auto next = reader_.Next();
      EXPECT_TRUE(next.ok());
      if (!next.ok() || !next->has_value()) return lines;
      const Frame& frame = **next;
      if (!frame.control) {
        lines.push_back("DATA " + std::to_string(frame.stream_id) + (frame.fin() ? " FIN" : "") +
                        " '" + frame.payload + "'");
        continue;
      }
      switch (static_cast<ControlType>(frame.type)) {
        case ControlType::kSynReply: {
          auto reply = ParseStreamHeaders(frame);
          EXPECT_TRUE(reply.ok());
          auto headers = decompressor_.Decompress(reply->header_block);
          EXPECT_TRUE(headers.ok());
          lines.push_back("SYN_REPLY " + std::to_string(reply->stream_id) +
                          " headers=" + std::to_string(headers->size()));
          break;
        }
        case ControlType::kRstStream: {
          auto rst = ParseRstStream(frame);
          lines.push_back("RST " + std::to_string(rst->stream_id) + " " +
                          std::to_string(rst->status));
          break;
        }
        case ControlType::kPing:
          lines.push_back("PING " + std::to_string(*ParsePing(frame)));
          break;
        case ControlType::kGoAway:
          lines.push_back("GOAWAY " + std::to_string(ReadUint32(frame.payload, 0)));
          break;
        default:
          lines.push_back("CONTROL " + std::to_string(frame.type));
      }
    }
  }

 private:
  HeaderCompressor compressor_;
  HeaderDecompressor decompressor_;
  FrameReader reader_;
};

}  // namespace sandbox::spdy::fake
