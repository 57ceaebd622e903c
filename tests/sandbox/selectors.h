#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tests/sandbox/json_util.h"

namespace sandbox {

// A parsed label selector (`app=web,tier in (a,b),!legacy`). Requirements are ANDed.
class LabelSelector {
 public:
  // Parses `text`; fails with a BadRequest Status (kube-apiserver's message) on bad syntax.
  static mm::Result<LabelSelector> Parse(std::string_view text);
  // True when `labels` (an object of strings, or null) satisfies every requirement.
  bool Matches(const Json* labels) const;
  bool empty() const { return requirements_.empty(); }

 private:
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kNotExists };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

// A parsed field selector (`metadata.name=web,status.phase!=Running`).
class FieldSelector {
 public:
  // Parses `text`; `supported` lists the fields this resource accepts beyond metadata.name and
  // metadata.namespace. Fails with BadRequest (`field label not supported: x`).
  static mm::Result<FieldSelector> Parse(std::string_view text,
                                         const std::vector<std::string>& supported);
  bool Matches(const Json& object) const;
  bool empty() const { return terms_.empty(); }
  // The value of a `metadata.name=x` term, or "" (lets lists skip straight to one key).
  std::string NameEquals() const;

 private:
  struct Term {
    std::string field;
    bool negate;
    std::string value;
  };
  std::vector<Term> terms_;
};

// A request's labelSelector and fieldSelector together.
struct ObjectFilter {
  LabelSelector labels;
  FieldSelector fields;
  // True when `object` has every label and field asked for.
  bool Matches(const Json& object) const;
};
// Parses both selectors for resource group/plural; fails with the 400 of either parser.
mm::Result<ObjectFilter> ParseFilter(std::string_view label_selector,
                                     std::string_view field_selector, std::string_view group,
                                     std::string_view plural);

// The selectable fields of a resource beyond metadata.name/namespace (pods: spec.nodeName, ...).
std::vector<std::string> SelectableFields(std::string_view group, std::string_view plural);

// The string form of a label selector object ({matchLabels, matchExpressions}), as the scale
// subresource's status.selector carries it.
std::string FormatLabelSelector(const Json& selector);

}  // namespace sandbox
