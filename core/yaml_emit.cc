// JSON -> block YAML, in the layout kubectl prints. Strings are quoted exactly when a plain
// scalar would read back as something else (see ParseYamlDocuments' resolution rules).
#include <vector>

#include "core/json.h"
#include "core/yaml.h"

namespace mm {
namespace {

bool ReadsBackAsString(const std::string& text) {
  auto documents = ParseYamlDocuments(text, "scalar");
  return documents.ok() && documents->size() == 1 && (*documents)[0].IsString() &&
         std::string_view((*documents)[0].GetString(), (*documents)[0].GetStringLength()) == text;
}

bool NeedsQuotes(const std::string& text) {
  if (text.empty()) return true;
  constexpr std::string_view kSpecialFirst = "-?:,[]{}#&*!|>'\"%@` \t";
  if (kSpecialFirst.find(text.front()) != std::string_view::npos) return true;
  if (text.back() == ' ' || text.back() == '\t' || text.back() == ':') return true;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == ':' && i + 1 < text.size() && text[i + 1] == ' ') return true;
    if (c == '#' && i > 0 && text[i - 1] == ' ') return true;
  }
  // Anything a plain scalar would resolve to a bool, number or null must be quoted. The full
  // parse is only needed for the few strings that could be such words or numbers.
  char first = text.front();
  bool could_resolve = (first >= '0' && first <= '9') || first == '+' || first == '.' ||
                       std::string_view("tTfFyYnNoO~").find(first) != std::string_view::npos;
  return could_resolve && !ReadsBackAsString(text);
}

// A multi-line string without awkward whitespace is printed as a literal block (`|`).
bool FitsLiteralBlock(const std::string& text) {
  if (text.find('\n') == std::string::npos) return false;
  if (text.front() == ' ' || text.front() == '\n') return false;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
    if (c == ' ' && (i + 1 == text.size() || text[i + 1] == '\n')) return false;
  }
  return true;
}

void AppendLiteralBlock(const std::string& text, int indent, std::string& out) {
  size_t trailing = 0;
  while (trailing < text.size() && text[text.size() - 1 - trailing] == '\n') ++trailing;
  out += trailing == 0 ? "|-\n" : (trailing == 1 ? "|\n" : "|+\n");
  std::string_view body(text.data(), text.size() - trailing);
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (!line.empty()) out.append(static_cast<size_t>(indent), ' ');
    out.append(line);
    out += '\n';
    start = end + 1;
  }
  for (size_t i = 1; i < trailing; ++i) out += '\n';
}

void AppendScalar(const rapidjson::Value& value, int indent, std::string& out) {
  if (value.IsString()) {
    std::string text(value.GetString(), value.GetStringLength());
    if (FitsLiteralBlock(text)) {
      AppendLiteralBlock(text, indent, out);
      return;
    }
    out += NeedsQuotes(text) ? ToJson(value) : text;
  } else if (value.IsNull()) {
    out += "null";
  } else if (value.IsObject()) {
    out += "{}";
  } else if (value.IsArray()) {
    out += "[]";
  } else {
    out += ToJson(value);  // bools and numbers print the same in JSON and YAML
  }
  out += '\n';
}

bool IsBlock(const rapidjson::Value& value) {
  return (value.IsObject() && value.MemberCount() > 0) || (value.IsArray() && !value.Empty());
}

// Appends a key; the caller then writes ':'. YAML limits an implicit key to 1024 characters, so a
// longer one is written as an explicit key (`? key`, then ':' on the next line at `indent`).
void AppendKey(const rapidjson::Value& key, int indent, std::string& out) {
  std::string text(key.GetString(), key.GetStringLength());
  std::string printed =
      NeedsQuotes(text) || text.find('\n') != std::string::npos ? ToJson(key) : text;
  constexpr size_t kImplicitKeyLimit = 1024;
  if (printed.size() <= kImplicitKeyLimit) {
    out += printed;
    return;
  }
  out += "? " + printed + "\n";
  out.append(static_cast<size_t>(indent), ' ');
}

// Appends a non-empty object or array. When `prefixed`, the caller already wrote the first line's
// indentation (and "- "), so the first entry continues that line.
void AppendBlock(const rapidjson::Value& value, int indent, bool prefixed, std::string& out) {
  bool first = true;
  auto start_line = [&] {
    if (!first || !prefixed) out.append(static_cast<size_t>(indent), ' ');
    first = false;
  };
  if (value.IsObject()) {
    for (const auto& member : value.GetObject()) {
      start_line();
      AppendKey(member.name, indent, out);
      out += ':';
      if (member.value.IsObject() && IsBlock(member.value)) {
        out += '\n';
        AppendBlock(member.value, indent + 2, false, out);
      } else if (member.value.IsArray() && IsBlock(member.value)) {
        out += '\n';
        AppendBlock(member.value, indent, false, out);
      } else {
        out += ' ';
        AppendScalar(member.value, indent + 2, out);
      }
    }
    return;
  }
  for (const auto& item : value.GetArray()) {
    start_line();
    out += "- ";
    if (IsBlock(item)) {
      AppendBlock(item, indent + 2, true, out);
    } else {
      AppendScalar(item, indent + 2, out);
    }
  }
}

}  // namespace

std::string ToYaml(const rapidjson::Value& value) {
  std::string out;
  if (IsBlock(value)) {
    AppendBlock(value, 0, false, out);
  } else {
    AppendScalar(value, 2, out);
  }
  return out;
}

}  // namespace mm
