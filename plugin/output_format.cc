#include "plugin/output_format.h"

#include <algorithm>

#include "core/json.h"
#include "core/yaml.h"

namespace mm {

Result<OutputFormat> ParseOutputFormat(const std::string& value,
                                       const std::vector<std::string>& allowed) {
  if (value.empty()) return OutputFormat::kHuman;
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
    if (value == "json") return OutputFormat::kJson;
    if (value == "yaml") return OutputFormat::kYaml;
    if (value == "wide") return OutputFormat::kWide;
  }
  std::string list;
  for (const std::string& name : allowed) {
    if (!list.empty()) list += ',';
    list += name;
  }
  return Error::Usage("unable to match a printer suitable for the output format \"" + value +
                      "\", allowed formats are: " + list);
}

void PrintStructured(const rapidjson::Value& object, OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::kYaml) {
    out << ToYaml(object);
  } else {
    out << ToJson(object, JsonStyle::kPretty) << '\n';
  }
}

}  // namespace mm
