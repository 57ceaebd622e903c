#include "core/mattermost/labels.h"

#include <algorithm>

#include "core/mattermost/parse.h"

namespace mm {
namespace {

// S, set into `labels`.
void SetSelectorLabels(LabelSet& labels, const Mattermost& mattermost) {
  labels.Set(kResourceLabel, mattermost.name);
  labels.Set(kInstallationLabel, mattermost.name);
  labels.Set("app", "mattermost");
}

size_t ResourceLabelCount(const Mattermost& mattermost) {
  return mattermost.spec.resource_labels ? mattermost.spec.resource_labels->size() : 0;
}

}  // namespace

void LabelSet::Set(std::string_view key, std::string_view value) {
  auto at =
      std::lower_bound(labels_.begin(), labels_.end(), key,
                       [](const Label& label, std::string_view k) { return label.first < k; });
  if (at != labels_.end() && at->first == key) {
    at->second = value;
  } else {
    labels_.insert(at, {key, value});
  }
}

void LabelSet::SetAll(const StringMap& labels) {
  for (const auto& [key, value] : labels) Set(key, value);
}

LabelSet ResourceLabels(const Mattermost& mattermost) {
  LabelSet labels(1);
  labels.Set(kResourceLabel, mattermost.name);
  return labels;
}

LabelSet SelectorLabels(const Mattermost& mattermost) {
  LabelSet labels(3);
  SetSelectorLabels(labels, mattermost);
  return labels;
}

LabelSet ObjectLabels(const Mattermost& mattermost) {
  LabelSet labels(ResourceLabelCount(mattermost) + 3);
  if (mattermost.spec.resource_labels) labels.SetAll(*mattermost.spec.resource_labels);
  SetSelectorLabels(labels, mattermost);
  return labels;
}

LabelSet PodLabels(const Mattermost& mattermost) {
  const auto& pod_template = mattermost.spec.pod_template;
  LabelSet labels(ResourceLabelCount(mattermost) +
                  (pod_template ? pod_template->extra_labels.size() : 0) + 3);
  if (mattermost.spec.resource_labels) labels.SetAll(*mattermost.spec.resource_labels);
  if (pod_template) labels.SetAll(pod_template->extra_labels);
  SetSelectorLabels(labels, mattermost);
  return labels;
}

LabelSet JobServerPodLabels(const Mattermost& mattermost) {
  LabelSet labels = PodLabels(mattermost);
  labels.Set("app", "mattermost-jobserver");
  return labels;
}

Json OwnerReferences(const Mattermost& mattermost) {
  return Json::Array({Json::Object({{"apiVersion", kMattermostApiVersion},
                                    {"kind", kMattermostKind},
                                    {"name", mattermost.name},
                                    {"uid", mattermost.uid},
                                    {"controller", true},
                                    {"blockOwnerDeletion", true}})});
}

Json ChildMetadata(const Mattermost& mattermost, std::string_view name, const LabelSet& labels,
                   const StringMap& annotations, bool owned) {
  return Json::Object(
      {{"name", name},
       {"namespace", Json::If(!mattermost.namespace_.empty(), mattermost.namespace_)},
       {"labels", Json::If(!labels.empty(), labels.ToJson())},
       {"annotations", Json::If(!annotations.empty(), Json::StringMap(annotations))},
       {"ownerReferences", Json::If(owned, OwnerReferences(mattermost))}});
}

}  // namespace mm
