#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "core/json_builder.h"
#include "core/mattermost/mattermost.h"

namespace mm {

inline constexpr char kInstallationLabel[] = "installation.mattermost.com/installation";
inline constexpr char kResourceLabel[] = "installation.mattermost.com/resource";

// Labels as Go serializes a map[string]string: keys unique, sorted bytewise (as a StringMap's).
// Keys and values are views of literals and of the Mattermost's strings, which must outlive the
// set: a set costs one allocation, not two or three per label.
class LabelSet {
 public:
  using Label = std::pair<std::string_view, std::string_view>;

  LabelSet() = default;
  // Room for `count` labels.
  explicit LabelSet(size_t count) { labels_.reserve(count); }

  // Sets `key` to `value`, replacing the value a label `key` already has.
  void Set(std::string_view key, std::string_view value);
  // Set for every entry of `labels` (which must outlive the set).
  void SetAll(const StringMap& labels);

  bool empty() const { return labels_.empty(); }
  const Label* begin() const { return labels_.data(); }
  const Label* end() const { return labels_.data() + labels_.size(); }
  // The labels as a JSON object, strings copied.
  Json ToJson() const { return Json::StringPairs(labels_); }

 private:
  std::vector<Label> labels_;
};

// The label sets of §3.0, for `mattermost`'s children (the user's labels never override ours).
// Views of `mattermost`'s strings: it must outlive them.
// R: resource label only.
LabelSet ResourceLabels(const Mattermost& mattermost);
// S: R + installation + app=mattermost. The selector of the Deployment and the Service.
LabelSet SelectorLabels(const Mattermost& mattermost);
// L: spec.resourceLabels overlaid with S. Service, Ingress, IngressClass, PVC.
LabelSet ObjectLabels(const Mattermost& mattermost);
// P: spec.resourceLabels + podTemplate.extraLabels overlaid with S. Pod template labels.
LabelSet PodLabels(const Mattermost& mattermost);
// J: P with app=mattermost-jobserver. Job-server selector and pod labels.
LabelSet JobServerPodLabels(const Mattermost& mattermost);

// The controller owner reference every child carries (§3.0).
Json OwnerReferences(const Mattermost& mattermost);

// metadata for a namespaced child named `name`: name, namespace, labels and annotations (left
// out when empty, as Go's omitempty does), the owner reference when `owned`.
Json ChildMetadata(const Mattermost& mattermost, std::string_view name, const LabelSet& labels,
                   const StringMap& annotations = {}, bool owned = true);

}  // namespace mm
