#pragma once

#include <rapidjson/document.h>

#include <ostream>
#include <string>
#include <vector>

#include "core/result.h"

namespace mm {

// The -o/--output values a command may accept. kHuman is the default (no -o).
enum class OutputFormat { kHuman, kWide, kJson, kYaml };

// Parses an -o value. `allowed` lists the accepted spellings other than "" (e.g. {"json",
// "yaml"}). Fails with kUsage and kubectl's wording when the value is not allowed.
Result<OutputFormat> ParseOutputFormat(const std::string& value,
                                       const std::vector<std::string>& allowed);

// Writes `object` as pretty JSON or YAML followed by a newline. Call only with kJson or kYaml.
void PrintStructured(const rapidjson::Value& object, OutputFormat format, std::ostream& out);

}  // namespace mm
