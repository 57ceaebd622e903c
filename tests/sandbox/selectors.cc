#include "tests/sandbox/selectors.h"

#include <algorithm>

#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Splits on commas that are not inside parentheses.
std::vector<std::string_view> SplitTerms(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      std::string_view term = Trim(text.substr(start, i - start));
      if (!term.empty()) out.push_back(term);
      start = i + 1;
    } else if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')') {
      --depth;
    }
  }
  return out;
}

bool ValidLabelKey(std::string_view key) {
  if (key.empty() || key.size() > 316) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == '/';
  });
}

std::string FieldValue(const Json& object, std::string_view field) {
  const Json* value = AtPath(object, field);
  if (value == nullptr) return "";
  if (value->IsString()) return std::string(StrView(*value));
  if (value->IsBool()) return value->GetBool() ? "true" : "false";
  if (value->IsInt64()) return std::to_string(value->GetInt64());
  return "";
}

}  // namespace

mm::Result<LabelSelector> LabelSelector::Parse(std::string_view text) {
  LabelSelector selector;
  for (std::string_view term : SplitTerms(text)) {
    Requirement r;
    auto fail = [&] {
      return mm::Error::Api(BadRequest("unable to parse requirement: found '" + std::string(term) +
                                       "', expected: in, notin, =, ==, !=, gt, lt"));
    };
    size_t space = term.find(' ');
    size_t op_pos = term.find_first_of("!=");
    if (term.front() == '!') {
      r.key = Trim(term.substr(1));
      r.op = Op::kNotExists;
    } else if (space != std::string_view::npos &&
               (op_pos == std::string_view::npos || space < op_pos)) {
      r.key = term.substr(0, space);
      std::string_view rest = Trim(term.substr(space + 1));
      if (rest.rfind("in", 0) == 0) {
        r.op = Op::kIn;
        rest.remove_prefix(2);
      } else if (rest.rfind("notin", 0) == 0) {
        r.op = Op::kNotIn;
        rest.remove_prefix(5);
      } else {
        return fail();
      }
      rest = Trim(rest);
      if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') return fail();
      rest = rest.substr(1, rest.size() - 2);
      size_t start = 0;
      for (size_t i = 0; i <= rest.size(); ++i) {
        if (i == rest.size() || rest[i] == ',') {
          r.values.emplace_back(Trim(rest.substr(start, i - start)));
          start = i + 1;
        }
      }
    } else if (op_pos == std::string_view::npos) {
      r.key = term;
      r.op = Op::kExists;
    } else {
      r.key = Trim(term.substr(0, op_pos));
      std::string_view rest = term.substr(op_pos);
      if (rest.rfind("!=", 0) == 0) {
        r.op = Op::kNotEquals;
        rest.remove_prefix(2);
      } else if (rest.rfind("==", 0) == 0) {
        r.op = Op::kEquals;
        rest.remove_prefix(2);
      } else if (rest.rfind("=", 0) == 0) {
        r.op = Op::kEquals;
        rest.remove_prefix(1);
      } else {
        return fail();
      }
      r.values.emplace_back(Trim(rest));
    }
    if (!ValidLabelKey(r.key)) return fail();
    selector.requirements_.push_back(std::move(r));
  }
  return selector;
}

bool LabelSelector::Matches(const Json* labels) const {
  for (const Requirement& r : requirements_) {
    const Json* value = labels == nullptr ? nullptr : Member(*labels, r.key);
    bool present = value != nullptr && value->IsString();
    std::string_view v = present ? StrView(*value) : std::string_view();
    auto in_values = [&] {
      return std::find(r.values.begin(), r.values.end(), v) != r.values.end();
    };
    switch (r.op) {
      case Op::kExists:
        if (!present) return false;
        break;
      case Op::kNotExists:
        if (present) return false;
        break;
      case Op::kEquals:
      case Op::kIn:
        if (!present || !in_values()) return false;
        break;
      case Op::kNotEquals:
      case Op::kNotIn:
        if (present && in_values()) return false;
        break;
    }
  }
  return true;
}

mm::Result<FieldSelector> FieldSelector::Parse(std::string_view text,
                                               const std::vector<std::string>& supported) {
  FieldSelector selector;
  for (std::string_view term : SplitTerms(text)) {
    Term t;
    size_t pos = term.find_first_of("!=");
    if (pos == std::string_view::npos) {
      return mm::Error::Api(BadRequest("invalid selector: '" + std::string(term) +
                                       "'; can't understand '" + std::string(term) + "'"));
    }
    t.field = Trim(term.substr(0, pos));
    std::string_view rest = term.substr(pos);
    t.negate = rest.rfind("!=", 0) == 0;
    rest.remove_prefix(t.negate || rest.rfind("==", 0) == 0 ? 2 : 1);
    t.value = Trim(rest);
    bool known = t.field == "metadata.name" || t.field == "metadata.namespace" ||
                 std::find(supported.begin(), supported.end(), t.field) != supported.end();
    if (!known) {
      return mm::Error::Api(BadRequest("field label not supported: " + t.field));
    }
    selector.terms_.push_back(std::move(t));
  }
  return selector;
}

bool FieldSelector::Matches(const Json& object) const {
  for (const Term& t : terms_) {
    bool equal = FieldValue(object, t.field) == t.value;
    if (equal == t.negate) return false;
  }
  return true;
}

std::string FieldSelector::NameEquals() const {
  for (const Term& t : terms_) {
    if (t.field == "metadata.name" && !t.negate) return t.value;
  }
  return "";
}

bool ObjectFilter::Matches(const Json& object) const {
  const Json* metadata = Member(object, "metadata");
  if (!labels.empty() && !labels.Matches(metadata ? Member(*metadata, "labels") : nullptr)) {
    return false;
  }
  return fields.empty() || fields.Matches(object);
}

mm::Result<ObjectFilter> ParseFilter(std::string_view label_selector,
                                     std::string_view field_selector, std::string_view group,
                                     std::string_view plural) {
  auto labels = LabelSelector::Parse(label_selector);
  if (!labels) return labels.error();
  auto fields = FieldSelector::Parse(field_selector, SelectableFields(group, plural));
  if (!fields) return fields.error();
  return ObjectFilter{std::move(*labels), std::move(*fields)};
}

std::vector<std::string> SelectableFields(std::string_view group, std::string_view plural) {
  if (!group.empty()) {
    if (group == "batch" && plural == "jobs") return {"status.successful"};
    if (group == "apps" && plural == "replicasets") return {"status.replicas"};
    return {};
  }
  if (plural == "pods") {
    return {
        "spec.nodeName",    "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
        "spec.hostNetwork", "status.phase",       "status.podIP",       "status.nominatedNodeName"};
  }
  if (plural == "events") {
    return {"involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type"};
  }
  if (plural == "secrets") return {"type"};
  if (plural == "namespaces") return {"status.phase"};
  if (plural == "nodes") return {"spec.unschedulable"};
  return {};
}

std::string FormatLabelSelector(const Json& selector) {
  std::vector<std::string> parts;
  if (const Json* labels = Member(selector, "matchLabels"); labels && labels->IsObject()) {
    for (const auto& m : labels->GetObject()) {
      parts.push_back(std::string(StrView(m.name)) + "=" + std::string(StrView(m.value)));
    }
  }
  if (const Json* exprs = Member(selector, "matchExpressions"); exprs && exprs->IsArray()) {
    for (const auto& e : exprs->GetArray()) {
      std::string key = Str(e, "key");
      std::string op = Str(e, "operator");
      std::string values;
      if (const Json* v = Member(e, "values"); v && v->IsArray()) {
        for (const auto& item : v->GetArray()) {
          if (!values.empty()) values += ",";
          values += StrView(item);
        }
      }
      if (op == "In") parts.push_back(key + " in (" + values + ")");
      if (op == "NotIn") parts.push_back(key + " notin (" + values + ")");
      if (op == "Exists") parts.push_back(key);
      if (op == "DoesNotExist") parts.push_back("!" + key);
    }
  }
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

}  // namespace sandbox
