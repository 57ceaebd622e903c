#pragma once

#include <rapidjson/document.h>

#include <set>
#include <string>
#include <vector>

namespace mm {

// Returns the lines `status NAME` shows under "Warning events:", most recent last, at most
// `limit` of them: the Warning events (of an EventList's items) about the installation's own
// objects. Those are the objects named `name` (Mattermost, Deployment, Service, Ingress, claim),
// its Deployment's ReplicaSets (`name-<hash>`), the pods in `pods`, the update job and its pods.
// Each line is "  Kind/name: Reason: message" (with " (xN)" when the event repeated). Events are
// ordered by lastTimestamp (else eventTime, else creationTimestamp).
std::vector<std::string> RecentWarnings(const rapidjson::Value& events, const std::string& name,
                                        const std::set<std::string>& pods, size_t limit);

}  // namespace mm
