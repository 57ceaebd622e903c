// create, update, patch (JSON, merge, strategic, apply), delete and deletecollection.
#include "core/json.h"
#include "core/yaml.h"
#include "tests/sandbox/api_call.h"
#include "tests/sandbox/managed_fields.h"
#include "tests/sandbox/patch.h"
#include "tests/sandbox/scale.h"
#include "tests/sandbox/selectors.h"
#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

std::string MediaType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

// Copies old with .status replaced by the status of `source` (a status subresource write).
rapidjson::Document WithStatusOf(const Json& old, const Json& source) {
  rapidjson::Document out = Clone(old);
  if (const Json* status = Member(source, "status")) {
    Set(out, "status", *status, out.GetAllocator());
  } else {
    Remove(out, "status");
  }
  if (const Json* rv = AtPath(source, "metadata.resourceVersion")) {
    Set(Child(out, "metadata", out.GetAllocator()), "resourceVersion", *rv, out.GetAllocator());
  }
  return out;
}

}  // namespace

mm::Result<Response> ApiServer::Create(Call& call) {
  if (call.sub == "exec" || call.sub == "attach" || call.sub == "portforward") {
    return Get(call);  // SPDY clients POST the upgrade; the answer is the same as for GET
  }
  if (!call.sub.empty()) {
    if (call.sub != "eviction") {
      return mm::Error::Api(BadRequest("pod " + call.name + " does not have a host assigned"));
    }
    ObjectPtr pod = store_.Get(call.type.StorageId(), ObjectKey(call.ns, call.name));
    if (pod == nullptr) return mm::Error::Api(NotFound("pods", "", call.name));
    if (!call.dry_run) DeleteObject(call.type, pod, "Background");
    Response r;
    r.code = 201;
    r.body = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201})";
    return r;
  }
  auto body = ParseBody(call);
  if (!body) return body.error();
  rapidjson::Document object = std::move(*body);
  MM_RETURN_IF_ERROR(CheckIdentity(call, object));
  MM_RETURN_IF_ERROR(Admit(call, object, nullptr, call.warnings));
  auto stored = CommitCreate(call, std::move(object), true);
  if (!stored) return stored.error();
  return ObjectResponse(call, **stored, 201);
}

mm::Result<Response> ApiServer::Update(Call& call) {
  ObjectPtr old = store_.Get(call.type.StorageId(), ObjectKey(call.ns, call.name));
  if (old == nullptr) return mm::Error::Api(NotFound(call.type.plural, call.type.group, call.name));
  auto body = ParseBody(call);
  if (!body) return body.error();
  if (call.sub == "scale") {
    rapidjson::Document object = Clone(*old);
    if (const Json* rv = AtPath(*body, "metadata.resourceVersion")) {
      Set(Child(object, "metadata", object.GetAllocator()), "resourceVersion", *rv,
          object.GetAllocator());
    }
    const Json* replicas = AtPath(*body, "spec.replicas");
    SetReplicas(call.type, object, replicas && replicas->IsInt64() ? replicas->GetInt64() : 0);
    auto stored = CommitUpdate(call, old, std::move(object), true);
    if (!stored) return stored.error();
    return ScaleResponse(ScaleOf(call.type, **stored));
  }
  rapidjson::Document object = call.sub == "status" ? WithStatusOf(*old, *body) : std::move(*body);
  MM_RETURN_IF_ERROR(CheckIdentity(call, object));
  MM_RETURN_IF_ERROR(Admit(call, object, old.get(), call.warnings));
  auto stored = CommitUpdate(call, old, std::move(object), true);
  if (!stored) return stored.error();
  return ObjectResponse(call, **stored, 200);
}

mm::Result<Response> ApiServer::Patch(Call& call) {
  std::string media = MediaType(call.req.content_type);
  bool apply = media == "application/apply-patch+yaml";
  bool strategic = media == "application/strategic-merge-patch+json";
  bool json_patch = media == "application/json-patch+json";
  bool merge = media == "application/merge-patch+json";
  std::string accepted =
      "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";
  if (!call.type.custom) accepted += ", application/strategic-merge-patch+json";
  if (!(apply || json_patch || merge || (strategic && !call.type.custom))) {
    return mm::Error::Api(UnsupportedMediaType(accepted));
  }
  rapidjson::Document patch;
  if (!NestingWithin(call.req.body, kMaxNesting)) {
    return mm::Error::Api(BadRequest("error decoding patch: max depth exceeded"));
  }
  if (apply) {
    auto docs = mm::ParseYamlDocuments(call.req.body, "apply patch");
    if (!docs || docs->empty() || !docs->front().IsObject()) {
      return mm::Error::Api(BadRequest(docs ? "error decoding YAML: the patch is not an object"
                                            : "error decoding YAML: " + docs.error().message()));
    }
    patch = std::move(docs->front());
  } else {
    auto parsed = mm::ParseJson(call.req.body, "patch");
    if (!parsed) return mm::Error::Api(BadRequest(parsed.error().message()));
    patch = std::move(*parsed);
  }
  ObjectPtr old = store_.Get(call.type.StorageId(), ObjectKey(call.ns, call.name));
  if (old == nullptr && !(apply && call.sub.empty())) {
    return mm::Error::Api(NotFound(call.type.plural, call.type.group, call.name));
  }
  auto apply_patch = [&](const Json& target) -> mm::Result<rapidjson::Document> {
    if (json_patch) return ApplyJsonPatch(target, patch);
    if (strategic && call.sub != "scale") {
      return ApplyStrategicMergePatch(target, patch, SchemaOf(call.type));
    }
    if (!patch.IsObject()) return mm::Error::Api(BadRequest("merge patch must be an object"));
    return ApplyMergePatch(target, patch);
  };
  if (call.sub == "scale") {
    auto patched = apply_patch(ScaleOf(call.type, *old));
    if (!patched) return patched.error();
    rapidjson::Document object = Clone(*old);
    const Json* replicas = AtPath(*patched, "spec.replicas");
    if (replicas == nullptr || !replicas->IsInt64()) {
      return mm::Error::Api(
          Invalid("Scale", "autoscaling", call.name,
                  {Cause("FieldValueRequired", "spec.replicas", "Required value")}));
    }
    SetReplicas(call.type, object, replicas->GetInt64());
    auto stored = CommitUpdate(call, old, std::move(object), true);
    if (!stored) return stored.error();
    return ScaleResponse(ScaleOf(call.type, **stored));
  }
  if (apply) {
    std::string manager = call.req.Query("fieldManager");
    if (manager.empty()) {
      return mm::Error::Api(
          BadRequest("PATCH " + call.req.path + ": fieldManager is required for apply requests"));
    }
    MM_RETURN_IF_ERROR(CheckIdentity(call, patch));
    // The applied configuration itself is pruned and validated before it is merged.
    MM_RETURN_IF_ERROR(Admit(call, patch, old.get(), call.warnings, false));
    auto merged = ServerSideApply(old.get(), patch, manager, QueryBool(call.req.Query("force")),
                                  call.type.ApiVersion(), ScopeOf(call.type, call.sub),
                                  SchemaOf(call.type), Now());
    if (!merged) {
      mm::ApiStatus status = *merged.error().status();
      status.name = call.name;
      status.group = call.type.group;
      status.kind = call.type.plural;
      return mm::Error::Api(std::move(status));
    }
    MM_RETURN_IF_ERROR(Admit(call, *merged, old.get(), call.warnings));
    auto stored = old ? CommitUpdate(call, old, std::move(*merged), false)
                      : CommitCreate(call, std::move(*merged), false);
    if (!stored) return stored.error();
    return ObjectResponse(call, **stored, old ? 200 : 201);
  }
  auto patched = apply_patch(*old);
  if (!patched) return patched.error();
  rapidjson::Document object =
      call.sub == "status" ? WithStatusOf(*old, *patched) : std::move(*patched);
  MM_RETURN_IF_ERROR(CheckIdentity(call, object));
  MM_RETURN_IF_ERROR(Admit(call, object, old.get(), call.warnings));
  auto stored = CommitUpdate(call, old, std::move(object), true);
  if (!stored) return stored.error();
  return ObjectResponse(call, **stored, 200);
}

mm::Result<Response> ApiServer::Delete(Call& call) {
  ObjectPtr old = store_.Get(call.type.StorageId(), ObjectKey(call.ns, call.name));
  if (old == nullptr) return mm::Error::Api(NotFound(call.type.plural, call.type.group, call.name));
  std::string propagation = call.req.Query("propagationPolicy");
  if (!call.req.body.empty()) {
    auto options = mm::ParseJson(call.req.body, "DeleteOptions");
    if (!options || !options->IsObject()) {
      return mm::Error::Api(BadRequest("the body of the request was in an unknown format"));
    }
    if (std::string p = Str(*options, "propagationPolicy"); !p.empty()) propagation = p;
    if (const Json* dry = Member(*options, "dryRun"); dry && dry->IsArray() && !dry->Empty()) {
      call.dry_run = true;
    }
    if (const Json* orphan = Member(*options, "orphanDependents"); orphan && orphan->IsBool()) {
      if (propagation.empty()) propagation = orphan->GetBool() ? "Orphan" : "Background";
    }
    if (const Json* pre = Member(*options, "preconditions"); pre && pre->IsObject()) {
      const Json* metadata = Member(*old, "metadata");
      for (const auto& [field, label] :
           {std::pair{"uid", "UID"}, {"resourceVersion", "ResourceVersion"}}) {
        std::string want = Str(*pre, field);
        std::string have = metadata ? Str(*metadata, field) : "";
        if (!want.empty() && want != have) {
          return mm::Error::Api(Conflict(call.type.plural, call.type.group, call.name,
                                         std::string("Precondition failed: ") + label +
                                             " in precondition: " + want + ", " + label +
                                             " in object meta: " + have));
        }
      }
    }
  }
  if (propagation.empty()) propagation = "Background";
  if (call.dry_run) return ObjectResponse(call, *old, 200);
  ObjectPtr final_state = DeleteObject(call.type, old, propagation);
  return ObjectResponse(call, *final_state, 200);
}

mm::Result<Response> ApiServer::DeleteCollection(Call& call) {
  auto filter = ParseFilter(call.req.Query("labelSelector"), call.req.Query("fieldSelector"),
                            call.type.group, call.type.plural);
  if (!filter) return filter.error();
  std::vector<ObjectPtr> victims;
  store_.Scan(call.type.StorageId(), call.ns.empty() ? "" : call.ns + "/", "", 0,
              [&](const std::string&, const ObjectPtr& o) {
                if (filter->Matches(*o)) victims.push_back(o);
                return true;
              });
  std::string body = R"({"kind":")" + call.type.kind + R"(List","apiVersion":")" +
                     call.type.ApiVersion() + R"(","metadata":{"resourceVersion":")";
  std::string items;
  for (const ObjectPtr& victim : victims) {
    ObjectPtr final_state = call.dry_run ? victim : DeleteObject(call.type, victim, "Background");
    items += (items.empty() ? "" : ",") + Present(call, *final_state);
  }
  Response r;
  r.body = body + std::to_string(store_.rv()) + R"("},"items":[)" + items + "]}";
  return r;
}

}  // namespace sandbox
