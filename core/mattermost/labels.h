#pragma once

#include <string_view>

#include "core/json_builder.h"
#include "core/mattermost/mattermost.h"

namespace mm {

inline constexpr char kInstallationLabel[] = "installation.mattermost.com/installation";
inline constexpr char kResourceLabel[] = "installation.mattermost.com/resource";

// The label sets of §3.0, for `mattermost`'s children (the user's labels never override ours).
// R: resource label only.
StringMap ResourceLabels(const Mattermost& mattermost);
// S: R + installation + app=mattermost. The selector of the Deployment and the Service.
StringMap SelectorLabels(const Mattermost& mattermost);
// L: spec.resourceLabels overlaid with S. Service, Ingress, IngressClass, PVC.
StringMap ObjectLabels(const Mattermost& mattermost);
// P: spec.resourceLabels + podTemplate.extraLabels overlaid with S. Pod template labels.
StringMap PodLabels(const Mattermost& mattermost);
// J: P with app=mattermost-jobserver. Job-server selector and pod labels.
StringMap JobServerPodLabels(const Mattermost& mattermost);

// The controller owner reference every child carries (§3.0).
Json OwnerReferences(const Mattermost& mattermost);

// metadata for a namespaced child named `name`: name, namespace, labels and annotations (left
// out when empty, as Go's omitempty does), the owner reference when `owned`.
Json ChildMetadata(const Mattermost& mattermost, std::string_view name, const StringMap& labels,
                   const StringMap& annotations = {}, bool owned = true);

}  // namespace mm
