#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>

namespace mm {

// Returns the document the operator records in `mattermost.com/last-applied` when it writes
// `object` (a child from BuildChildren, or the update Job) of a Mattermost in
// `mattermost_namespace` (operator.md §4): the object as the operator's Go generator builds it,
// serialized by GoCanonicalJson. That means without apiVersion/kind (the generators leave TypeMeta
// empty) and without the annotation itself; without owner references on the objects that get them
// only at creation (the MySQL Secret, the local PVC, the update Job); with the namespace on the
// IngressClass and without roleRef.apiGroup on the RoleBinding (the generators set / leave them
// so); and with the empty structs Go always writes (`status: {}`, `resources: {}` on every
// container, the MySQL pod spec's resource blocks, MinIO's `status.availableReplicas: 0`).
std::string OperatorLastAppliedDocument(const rapidjson::Value& object,
                                        std::string_view mattermost_namespace);

// Returns the object OperatorLastAppliedDocument(object, mattermost_namespace) serializes (the
// edits that make it, applied to a copy). It is not yet cleaned of nulls and empty strings, which
// ThreeWayDifference ignores as the cleaning does, so it compares as the parsed document would. It
// allocates from `allocator` when one is given (it must outlive the record), else from its own,
// and refers to the strings of `object` (which must outlive it too).
rapidjson::Document OperatorRecordObject(const rapidjson::Value& object,
                                         std::string_view mattermost_namespace,
                                         rapidjson::Document::AllocatorType* allocator = nullptr);

// Returns whether the record of an object of `kind` holds a member (kept by Go's cleaning,
// go_json.h) that the object itself does not, other than empty structs and the top-level status:
// only the IngressClass (its namespace). When it does not, no member of the object's own record can
// count as removed, so ThreeWayDifference(&OperatorRecordObject(object, ...), object, live) equals
// ThreeWayDifference(nullptr, object, live), which walks one tree less.
bool RecordAddsMembers(std::string_view kind);

// Returns what we write for `object`: a copy with the empty structs Go always sends for the
// operator's typed objects (`resources: {}` on containers, the MySQL pod spec's resource blocks,
// MinIO's `spec.resources`; the server does not add them to custom resources), and
// metadata.annotations `mattermost.com/last-applied` =
// EncodeLastApplied(OperatorLastAppliedDocument(...)), so that the operator finds nothing to
// change after a client-side write.
std::shared_ptr<const rapidjson::Document> WithLastApplied(const rapidjson::Value& object,
                                                           std::string_view mattermost_namespace);

// WithLastApplied of an object whose OperatorLastAppliedDocument is `document`, already built.
std::shared_ptr<const rapidjson::Document> WithLastAppliedDocument(const rapidjson::Value& object,
                                                                   std::string_view document);

// Returns the Service `desired` as the operator updates it (§3.2): clusterIP and clusterIPs
// copied from `live` where `desired` leaves them empty, and loadBalancerIP too when both are
// LoadBalancers. Its updates and last-applied records carry the addresses the cluster allocated.
// It allocates from `allocator` when one is given (it must outlive the result), else from its own,
// and refers to the strings of `desired` (which must outlive it too; every reconcile compares a
// Service, so its strings are not copied).
rapidjson::Document WithLiveServiceAddresses(
    const rapidjson::Value& desired, const rapidjson::Value& live,
    rapidjson::Document::AllocatorType* allocator = nullptr);

}  // namespace mm
