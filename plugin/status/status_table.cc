#include "plugin/status/status_table.h"

#include <algorithm>

#include "core/human_duration.h"
#include "core/json.h"
#include "core/mattermost/status.h"
#include "kubeapi/exec_credential.h"

namespace mm {
namespace {

const rapidjson::Value* At(const rapidjson::Value& object,
                           std::initializer_list<const char*> path) {
  const rapidjson::Value* node = &object;
  for (const char* key : path) {
    node = FindMember(*node, key);
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::string IntAt(const rapidjson::Value& object, std::initializer_list<const char*> path,
                  const std::string& fallback) {
  const rapidjson::Value* value = At(object, path);
  return value != nullptr && value->IsInt64() ? std::to_string(value->GetInt64()) : fallback;
}

std::string OrNone(std::string text) { return text.empty() ? "<none>" : text; }

}  // namespace

StatusRow StatusRowFor(const rapidjson::Value& mattermost, kubeapi::Clock::TimePoint now,
                       const std::string& mode) {
  const rapidjson::Value* metadata = FindMember(mattermost, "metadata");
  const rapidjson::Value* spec = FindMember(mattermost, "spec");
  MattermostStatus status = ReadMattermostStatus(mattermost);
  StatusRow row;
  row.namespace_name = metadata ? GetString(*metadata, "namespace") : "";
  row.name = metadata ? GetString(*metadata, "name") : "";
  row.state = OrNone(status.state);
  row.version = OrNone(spec ? GetString(*spec, "version") : "");
  row.replicas =
      std::to_string(status.updated_replicas) + "/" + IntAt(mattermost, {"spec", "replicas"}, "1");
  row.endpoint = OrNone(status.endpoint);
  row.age = "<unknown>";
  if (metadata != nullptr) {
    if (auto created = kubeapi::ParseRfc3339(GetString(*metadata, "creationTimestamp"))) {
      row.age = HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - *created));
    }
  }
  row.mode = mode;
  row.error = OrNone(status.error);
  std::string image = spec ? GetString(*spec, "image") : "";
  row.image = image.empty() ? "<none>" : image + ":" + (spec ? GetString(*spec, "version") : "");
  row.generation = IntAt(mattermost, {"status", "observedGeneration"}, "0") + "/" +
                   IntAt(mattermost, {"metadata", "generation"}, "0");
  return row;
}

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 3, ' ');
    }
    text += line + "\n";
  }
  return text;
}

std::string FormatStatusTable(const std::vector<StatusRow>& rows, bool all_namespaces, bool wide) {
  std::vector<std::vector<std::string>> table;
  auto add = [&](const StatusRow& row) {
    std::vector<std::string> cells;
    if (all_namespaces) cells.push_back(row.namespace_name);
    for (const std::string* cell : {&row.name, &row.state, &row.version, &row.replicas,
                                    &row.endpoint, &row.age, &row.mode, &row.error}) {
      cells.push_back(*cell);
    }
    if (wide) {
      cells.push_back(row.image);
      cells.push_back(row.generation);
    }
    table.push_back(std::move(cells));
  };
  add({"NAMESPACE", "NAME", "STATE", "VERSION", "REPLICAS", "ENDPOINT", "AGE", "MODE", "ERROR",
       "IMAGE", "OBSERVED"});
  for (const StatusRow& row : rows) add(row);
  return FormatTable(table);
}

}  // namespace mm
