#include <algorithm>
#include <map>

#include "tests/sandbox/api_call.h"

// Content negotiation (Accept headers) and query-value parsing for the sandbox API server.
namespace sandbox {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One Accept entry: media type plus parameters.
struct MediaRange {
  std::string type;
  std::map<std::string, std::string> params;
};

std::vector<MediaRange> ParseAccept(std::string_view accept) {
  std::vector<MediaRange> out;
  size_t start = 0;
  while (start <= accept.size()) {
    size_t comma = accept.find(',', start);
    std::string_view item = accept.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    MediaRange range;
    size_t semi = item.find(';');
    range.type = Trim(item.substr(0, semi));
    while (semi != std::string_view::npos) {
      size_t next = item.find(';', semi + 1);
      std::string_view param = item.substr(
          semi + 1, next == std::string_view::npos ? std::string_view::npos : next - semi - 1);
      size_t eq = param.find('=');
      if (eq != std::string_view::npos) {
        range.params[std::string(Trim(param.substr(0, eq)))] = Trim(param.substr(eq + 1));
      }
      semi = next;
    }
    if (!range.type.empty()) out.push_back(std::move(range));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

Output NegotiateOutput(std::string_view accept, std::string* table_version) {
  if (Trim(accept).empty()) return Output::kJson;
  for (const MediaRange& r : ParseAccept(accept)) {
    auto as = r.params.find("as");
    if (r.type == "application/json" && as != r.params.end()) {
      auto g = r.params.find("g");
      auto v = r.params.find("v");
      if (as->second == "Table" && g != r.params.end() && g->second == "meta.k8s.io" &&
          v != r.params.end() && (v->second == "v1" || v->second == "v1beta1")) {
        *table_version = v->second;
        return Output::kTable;
      }
      continue;
    }
    if (r.type == "application/json" || r.type == "*/*" || r.type == "application/*") {
      return Output::kJson;
    }
    if (r.type == "application/yaml") return Output::kYaml;
  }
  return Output::kUnacceptable;
}

std::string NegotiateDiscovery(std::string_view accept) {
  for (const MediaRange& r : ParseAccept(accept)) {
    auto as = r.params.find("as");
    auto g = r.params.find("g");
    auto v = r.params.find("v");
    if (r.type == "application/json" && as != r.params.end() &&
        as->second == "APIGroupDiscoveryList" && g != r.params.end() &&
        g->second == "apidiscovery.k8s.io" && v != r.params.end() &&
        (v->second == "v2" || v->second == "v2beta1")) {
      return v->second;
    }
    if (r.type == "application/json" && as == r.params.end()) return "";
    if (r.type == "*/*" || r.type == "application/*") return "";
  }
  return "";
}

bool QueryBool(const std::string& value) {
  std::string v = value;
  std::transform(v.begin(), v.end(), v.begin(), ::tolower);
  return v == "true" || v == "1" || v == "t";
}

}  // namespace sandbox
