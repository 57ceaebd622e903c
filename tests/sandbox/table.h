#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/sandbox/resources.h"

namespace sandbox {

// What rows[].object carries (?includeObject=None|Metadata|Object; kubectl's default Metadata).
enum class IncludeObject { kNone, kMetadata, kObject };

// Renders meta.k8s.io Tables the way kube-apiserver's printers do for `kubectl get`: the
// resource's columns (built-in printers, or a CRD's additionalPrinterColumns) with cells already
// formatted (ages like "5m").
class TablePrinter {
 public:
  TablePrinter(const ResourceType& type, std::chrono::system_clock::time_point now,
               std::string api_version = "meta.k8s.io/v1");

  // A complete Table for `objects`; `list_rv` and `continue_token` fill its metadata.
  std::string Render(const std::vector<const Json*>& objects, IncludeObject include,
                     const std::string& list_rv, const std::string& continue_token) const;
  // A one-row Table for a watch event; column definitions only when `with_columns`.
  std::string RenderRow(const Json& object, IncludeObject include, bool with_columns) const;

 private:
  struct Column {
    std::string name, type, format, description;
    int priority;
    std::string json_path;  // CRD columns only
  };
  void Cells(const Json& object, rapidjson::Writer<rapidjson::StringBuffer>& w) const;
  std::string Build(const std::vector<const Json*>& objects, IncludeObject include,
                    bool with_columns, const std::string& list_rv,
                    const std::string& continue_token) const;

  const ResourceType& type_;
  std::chrono::system_clock::time_point now_;
  std::string api_version_;
  std::vector<Column> columns_;
};

// Seconds since the epoch of an RFC 3339 UTC timestamp ("2024-05-01T10:00:00Z"); -1 if invalid.
int64_t ParseTimestamp(std::string_view text);
std::string FormatTimestamp(std::chrono::system_clock::time_point t);

// Evaluates the kubectl JSONPath subset CRD printer columns use (`.a.b`, `[0]`, `[*]`,
// `[?(@.type=="Ready")]`); nullptr when nothing matches.
const Json* EvalJsonPath(const Json& object, std::string_view path);

}  // namespace sandbox
