// YAML -> JSON conversion on top of yaml-cpp. yaml-cpp tells us whether a scalar was plain
// (tag "?") or quoted/explicit (tag "!"); plain scalars are resolved like go-yaml v2.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>
#include <sstream>

#include "core/json.h"
#include "core/yaml.h"

namespace mm {
namespace {

bool IsOneOf(std::string_view text, std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    if (text == word) return true;
  }
  return false;
}

bool ParseInteger(std::string_view text, int64_t& out) {
  std::string digits;
  bool negative = false;
  std::string_view rest = text;
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    negative = rest.front() == '-';
    rest.remove_prefix(1);
  }
  int base = 10;
  if (rest.size() > 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X')) {
    base = 16;
    rest.remove_prefix(2);
  } else if (rest.size() > 2 && rest[0] == '0' && (rest[1] == 'b' || rest[1] == 'B')) {
    base = 2;
    rest.remove_prefix(2);
  } else if (rest.size() > 1 && rest[0] == '0') {
    base = 8;
    rest.remove_prefix(1);
  }
  for (char c : rest) {
    if (c != '_') digits.push_back(c);
  }
  if (digits.empty()) return false;
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return false;
  if (negative) {
    if (magnitude > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    out = static_cast<int64_t>(0 - magnitude);
  } else {
    if (magnitude > static_cast<uint64_t>(INT64_MAX)) return false;
    out = static_cast<int64_t>(magnitude);
  }
  return true;
}

bool ParseFloat(std::string_view text, double& out) {
  if (IsOneOf(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) {
    out = HUGE_VAL;
    return true;
  }
  if (IsOneOf(text, {"-.inf", "-.Inf", "-.INF"})) {
    out = -HUGE_VAL;
    return true;
  }
  if (IsOneOf(text, {".nan", ".NaN", ".NAN"})) {
    out = std::nan("");
    return true;
  }
  // A float needs a digit and only float characters; from_chars rejects the rest.
  bool has_digit = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') has_digit = true;
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
      return false;
    }
  }
  if (!has_digit) return false;
  std::string_view body = text;
  if (!body.empty() && body.front() == '+') body.remove_prefix(1);
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), out);
  return ec == std::errc() && end == body.data() + body.size();
}

void ResolvePlainScalar(const std::string& text, rapidjson::Value& out,
                        rapidjson::Document::AllocatorType& allocator) {
  if (IsOneOf(text, {"", "~", "null", "Null", "NULL"})) {
    out.SetNull();
  } else if (IsOneOf(text,
                     {"true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON"})) {
    out.SetBool(true);
  } else if (IsOneOf(text, {"false", "False", "FALSE", "n", "N", "no", "No", "NO", "off", "Off",
                            "OFF"})) {
    out.SetBool(false);
  } else if (int64_t integer = 0; ParseInteger(text, integer)) {
    out.SetInt64(integer);
  } else if (double number = 0; ParseFloat(text, number) && std::isfinite(number)) {
    out.SetDouble(number);
  } else {
    out.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
  }
}

std::string Position(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

Result<void> Convert(const YAML::Node& node, rapidjson::Value& out,
                     rapidjson::Document::AllocatorType& allocator, std::string_view what) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out.SetNull();
      return {};
    case YAML::NodeType::Scalar:
      if (node.Tag() == "?") {
        ResolvePlainScalar(node.Scalar(), out, allocator);
      } else {
        out.SetString(node.Scalar().data(), static_cast<rapidjson::SizeType>(node.Scalar().size()),
                      allocator);
      }
      return {};
    case YAML::NodeType::Sequence:
      out.SetArray();
      for (const YAML::Node& item : node) {
        rapidjson::Value converted;
        MM_RETURN_IF_ERROR(Convert(item, converted, allocator, what));
        out.PushBack(converted, allocator);
      }
      return {};
    case YAML::NodeType::Map: {
      out.SetObject();
      std::set<std::string> seen;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          return Error::Invalid(std::string(what) + ": " + Position(entry.first.Mark()) +
                                ": mapping keys must be scalars");
        }
        const std::string& key = entry.first.Scalar();
        if (!seen.insert(key).second) {
          return Error::Invalid(std::string(what) + ": " + Position(entry.first.Mark()) +
                                ": mapping key \"" + key + "\" already defined");
        }
        rapidjson::Value converted;
        MM_RETURN_IF_ERROR(Convert(entry.second, converted, allocator, what));
        // With its length: a key may hold NUL bytes (`"a\0b"`), which c_str() would cut off.
        rapidjson::Value name(key.data(), static_cast<rapidjson::SizeType>(key.size()), allocator);
        out.AddMember(name, converted, allocator);
      }
      return {};
    }
  }
  return Error::Internal("unknown YAML node type");
}

// Sees only where each document starts: enough to tell whether the parser is making progress.
class DocumentStarts final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { last = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark last = YAML::Mark::null_mark();
};

// yaml-cpp 0.7 (Debian's) never returns from LoadAll when a document starts on a token that no
// node can begin with, such as the `,` in `[[]],`: each round reports an empty document without
// consuming that token, and LoadAll appends a null node forever until memory runs out
// (jbeder/yaml-cpp#1040, fixed upstream after 0.8.0). This events-only pass finds such a token
// first: two documents starting at one offset means no progress. Returns where it is, or nothing.
// Throws what yaml-cpp throws for malformed text.
std::optional<YAML::Mark> FindStuckDocument(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts starts;
  std::optional<int> previous;
  while (parser.HandleNextDocument(starts)) {
    if (previous == starts.last.pos) return starts.last;
    previous = starts.last.pos;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<rapidjson::Document>> ParseYamlDocuments(std::string_view text,
                                                            std::string_view what) {
  // yaml-cpp parses flow collections recursively: refuse hostile nesting before it does.
  if (size_t offset = FindExcessiveNesting(text, kMaxJsonDepth, false);
      offset != std::string_view::npos) {
    return Error::Invalid(std::string(what) + ": nested deeper than " +
                          std::to_string(kMaxJsonDepth) + " levels at byte " +
                          std::to_string(offset));
  }
  std::vector<YAML::Node> nodes;
  try {
    std::string copy(text);
    if (std::optional<YAML::Mark> stuck = FindStuckDocument(copy)) {
      return Error::Invalid(std::string(what) + ": " + Position(*stuck) +
                            ": did not find expected node content");
    }
    nodes = YAML::LoadAll(copy);
  } catch (const YAML::Exception& e) {
    return Error::Invalid(std::string(what) + ": " + Position(e.mark) + ": " + e.msg);
  }
  std::vector<rapidjson::Document> documents;
  documents.reserve(nodes.size());
  for (const YAML::Node& node : nodes) {
    if (node.IsNull()) continue;
    rapidjson::Document document;
    MM_RETURN_IF_ERROR(Convert(node, document, document.GetAllocator(), what));
    documents.push_back(std::move(document));
  }
  return documents;
}

}  // namespace mm
