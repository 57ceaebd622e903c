#include "core/mattermost/labels.h"

#include "core/mattermost/parse.h"

namespace mm {
namespace {

void Overlay(StringMap& target, const StringMap& source) {
  for (const auto& [key, value] : source) target[key] = value;
}

}  // namespace

StringMap ResourceLabels(const Mattermost& mattermost) {
  return {{kResourceLabel, mattermost.name}};
}

StringMap SelectorLabels(const Mattermost& mattermost) {
  return {{kResourceLabel, mattermost.name},
          {kInstallationLabel, mattermost.name},
          {"app", "mattermost"}};
}

StringMap ObjectLabels(const Mattermost& mattermost) {
  StringMap labels = mattermost.spec.resource_labels.value_or(StringMap{});
  Overlay(labels, SelectorLabels(mattermost));
  return labels;
}

StringMap PodLabels(const Mattermost& mattermost) {
  StringMap labels = mattermost.spec.resource_labels.value_or(StringMap{});
  if (mattermost.spec.pod_template) Overlay(labels, mattermost.spec.pod_template->extra_labels);
  Overlay(labels, SelectorLabels(mattermost));
  return labels;
}

StringMap JobServerPodLabels(const Mattermost& mattermost) {
  StringMap labels = PodLabels(mattermost);
  labels["app"] = "mattermost-jobserver";
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

Json ChildMetadata(const Mattermost& mattermost, std::string_view name, const StringMap& labels,
                   const StringMap& annotations, bool owned) {
  return Json::Object(
      {{"name", name},
       {"namespace", Json::If(!mattermost.namespace_.empty(), mattermost.namespace_)},
       {"labels", Json::If(!labels.empty(), Json::StringMap(labels))},
       {"annotations", Json::If(!annotations.empty(), Json::StringMap(annotations))},
       {"ownerReferences", Json::If(owned, OwnerReferences(mattermost))}});
}

}  // namespace mm
