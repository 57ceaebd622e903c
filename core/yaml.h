#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mm {

// Parses a multi-document YAML (or JSON, which is YAML) stream into JSON documents, resolving
// plain scalars the way kubectl does (go-yaml v2 rules: `8065` is an int, `"8065"` a string,
// `yes`/`on` booleans, `~` null). Empty documents are skipped. Fails with kInvalid naming `what`
// (a file name or "stdin"), the line and column, and the problem; duplicate keys are an error.
Result<std::vector<rapidjson::Document>> ParseYamlDocuments(std::string_view text,
                                                            std::string_view what);

// Serializes `value` as block-style YAML in the shape `kubectl get -o yaml` prints (sequences at
// their key's indentation, 2-space nesting), quoting strings that would otherwise read back as
// another type. Member order is kept. Never fails. The output ends with a newline.
std::string ToYaml(const rapidjson::Value& value);

}  // namespace mm
