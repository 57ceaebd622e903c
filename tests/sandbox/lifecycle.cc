// The write pipeline shared by create, update, patch and apply: decoding, identity checks,
// admission (validation, CRD schemas, defaults) and committing to the store.
#include <regex>

#include "core/json.h"
#include "core/yaml.h"
#include "tests/sandbox/api_call.h"
#include "tests/sandbox/crd.h"
#include "tests/sandbox/job_defaults.h"
#include "tests/sandbox/managed_fields.h"
#include "tests/sandbox/protobuf.h"
#include "tests/sandbox/status.h"
#include "tests/sandbox/validation.h"

namespace sandbox {
namespace {

// True when a and b differ outside metadata (and outside status for types with a status
// subresource): the change that bumps metadata.generation.
bool SpecChanged(const Json& a, const Json& b, bool skip_status) {
  auto differs = [&](const Json& x, const Json& y) {
    for (const auto& m : x.GetObject()) {
      std::string_view name = StrView(m.name);
      if (name == "metadata" || (skip_status && name == "status")) continue;
      const Json* other = Member(y, name);
      if (other == nullptr || *other != m.value) return true;
    }
    return false;
  };
  return differs(a, b) || differs(b, a);
}

// Equal apart from resourceVersion and managedFields timestamps: an update that changes
// nothing is not written (no new resourceVersion, no event), as kube-apiserver does.
bool SameObject(const Json& a, const Json& b) {
  auto normalize = [](const Json& v) {
    rapidjson::Document d = Clone(v);
    if (Json* m = MutableMember(d, "metadata")) {
      Remove(*m, "resourceVersion");
      if (Json* fields = MutableMember(*m, "managedFields"); fields && fields->IsArray()) {
        for (auto& e : fields->GetArray()) Remove(e, "time");
      }
    }
    return d;
  };
  return normalize(a) == normalize(b);
}

void CopyMeta(const Json& from, Json& to, Alloc& alloc, std::initializer_list<const char*> keys) {
  const Json* src = Member(from, "metadata");
  Json& dst = Child(to, "metadata", alloc);
  for (const char* key : keys) {
    const Json* v = src ? Member(*src, key) : nullptr;
    if (v) {
      Set(dst, key, *v, alloc);
    } else {
      Remove(dst, key);
    }
  }
}

}  // namespace

mm::Result<rapidjson::Document> ApiServer::ParseBody(const Call& call) const {
  std::string media = call.req.content_type.substr(0, call.req.content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  rapidjson::Document doc;
  if (media != "application/vnd.kubernetes.protobuf" &&
      !NestingWithin(call.req.body, kMaxNesting)) {
    return mm::Error::Api(BadRequest("the object provided is unrecognized (must be of type " +
                                     call.type.kind + "): max depth exceeded"));
  }
  if (media == "application/vnd.kubernetes.protobuf") {
    auto decoded = DecodeKubeProtobuf(call.req.body);
    if (!decoded) {
      return mm::Error::Api(UnsupportedMediaType("application/json, application/yaml (" +
                                                 decoded.error().message() + ")"));
    }
    doc = std::move(*decoded);
  } else if (media == "application/yaml") {
    auto docs = mm::ParseYamlDocuments(call.req.body, "body");
    if (!docs || docs->size() != 1) {
      return mm::Error::Api(
          BadRequest("the object provided is unrecognized (must be of type " + call.type.kind +
                     "): " + (docs ? "expected one YAML document" : docs.error().message())));
    }
    doc = std::move(docs->front());
  } else if (media.empty() || media == "application/json" || media == "*/*") {
    auto parsed = mm::ParseJson(call.req.body, "body");
    if (!parsed) {
      return mm::Error::Api(BadRequest(
          "the object provided is unrecognized (must be of type " + call.type.kind +
          "): couldn't get version/kind; json parse error: " + parsed.error().message()));
    }
    doc = std::move(*parsed);
  } else {
    return mm::Error::Api(UnsupportedMediaType(
        "application/json, application/yaml, application/vnd.kubernetes.protobuf"));
  }
  if (!doc.IsObject()) {
    return mm::Error::Api(BadRequest("the object provided is unrecognized (must be of type " +
                                     call.type.kind +
                                     "): couldn't get version/kind; json parse "
                                     "error: json: cannot unmarshal " +
                                     (doc.IsArray() ? "array" : "value") +
                                     " into Go value of type struct { APIVersion string "
                                     "\"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
                                     "\"json:\\\"kind,omitempty\\\"\" }"));
  }
  return doc;
}

mm::Result<void> ApiServer::CheckIdentity(const Call& call, rapidjson::Document& object) const {
  Alloc& alloc = object.GetAllocator();
  const ResourceType& t = call.type;
  std::string api_version = Str(object, "apiVersion");
  std::string kind = Str(object, "kind");
  bool same_group =
      api_version == t.ApiVersion() || (t.custom && api_version.rfind(t.group + "/", 0) == 0);
  if (!api_version.empty() && !same_group) {
    return mm::Error::Api(BadRequest("the API version in the data (" + api_version +
                                     ") does not match the expected API version (" +
                                     t.ApiVersion() + ")"));
  }
  if (!kind.empty() && kind != t.kind) {
    return mm::Error::Api(BadRequest("the kind in the data (" + kind +
                                     ") does not match the expected kind (" + t.kind + ")"));
  }
  SetString(object, "apiVersion", t.ApiVersion(), alloc);
  SetString(object, "kind", t.kind, alloc);
  Json& metadata = Child(object, "metadata", alloc);
  std::string ns = Str(metadata, "namespace");
  if (t.namespaced) {
    if (!ns.empty() && ns != call.ns) {
      return mm::Error::Api(BadRequest(
          "the namespace of the provided object does not match the namespace sent on the "
          "request"));
    }
    SetString(metadata, "namespace", call.ns, alloc);
  } else {
    Remove(metadata, "namespace");
  }
  std::string name = Str(metadata, "name");
  if (!call.name.empty()) {
    if (!name.empty() && name != call.name) {
      return mm::Error::Api(BadRequest("the name of the object (" + name +
                                       ") does not match the name on the URL (" + call.name + ")"));
    }
    SetString(metadata, "name", call.name, alloc);
  } else if (name.empty() && !Str(metadata, "generateName").empty()) {
    static const char kChars[] = "bcdfghjklmnpqrstvwxz2456789";
    std::string generated = Str(metadata, "generateName");
    auto& rng = const_cast<std::mt19937_64&>(random_);
    for (int i = 0; i < 5; ++i) generated.push_back(kChars[rng() % (sizeof kChars - 1)]);
    SetString(metadata, "name", generated, alloc);
  }
  return {};
}

mm::Result<void> ApiServer::Admit(const Call& call, rapidjson::Document& object, const Json* old,
                                  std::vector<std::string>& warnings, bool whole_object) {
  const ResourceType& t = call.type;
  std::string name =
      AtPath(object, "metadata.name") ? Str(*Member(object, "metadata"), "name") : "";
  std::vector<mm::StatusCause> errors;
  if (const Json* schema = SchemaOf(t)) {
    std::vector<std::string> unknown;
    PruneAndValidate(object, *schema, object.GetAllocator(), errors, unknown);
    std::string validation = call.req.Query("fieldValidation");
    if (!unknown.empty() && validation == "Strict") {
      std::string list;
      for (const auto& u : unknown)
        list += (list.empty() ? "" : ", ") + ("unknown field " + Quote(u));
      return mm::Error::Api(BadRequest(t.kind + " in version " + Quote(t.version) +
                                       " cannot be handled as a " + t.kind +
                                       ": strict decoding error: " + list));
    }
    if (validation != "Ignore") {
      for (const auto& u : unknown) warnings.push_back("unknown field " + Quote(u));
    }
  }
  if (whole_object && old == nullptr) ValidateName(t, name, errors);
  if (whole_object) ValidateKind(t, object, errors);
  if (whole_object && old != nullptr) ValidateUpdate(t, object, *old, errors);
  if (!errors.empty()) {
    return mm::Error::Api(Invalid(t.kind, t.group, name, std::move(errors)));
  }
  return {};
}

mm::Result<ObjectPtr> ApiServer::CommitCreate(const Call& call, rapidjson::Document object,
                                              bool record_fields) {
  const ResourceType& t = call.type;
  Alloc& alloc = object.GetAllocator();
  Json& metadata = Child(object, "metadata", alloc);
  std::string name = Str(metadata, "name");
  if (t.namespaced) {
    ObjectPtr ns = store_.Get("/namespaces", ObjectKey("", call.ns));
    if (ns == nullptr) return mm::Error::Api(NotFound("namespaces", "", call.ns));
    if (AtPath(*ns, "metadata.deletionTimestamp") != nullptr) {
      return mm::Error::Api(Forbidden(t.plural + " " + Quote(name) +
                                      " is forbidden: unable to create new content in namespace " +
                                      call.ns + " because it is being terminated"));
    }
  }
  if (store_.Get(t.StorageId(), ObjectKey(call.ns, name)) != nullptr) {
    return mm::Error::Api(AlreadyExists(t.plural, t.group, name));
  }
  for (const char* key :
       {"resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"}) {
    Remove(metadata, key);
  }
  SetString(metadata, "uid", NewUid(), alloc);
  SetString(metadata, "creationTimestamp", Now(), alloc);
  if (t.generation) SetInt(metadata, "generation", 1, alloc);
  if (t.has_status) Remove(object, "status");
  ApplyDefaults(t, object, true, random_);
  if (t.group == "batch" && t.plural == "jobs") DefaultJob(object);
  // Server-side apply (record_fields false) brings its managed fields with the merged object.
  if (record_fields) {
    RecordUpdate(nullptr, object, Manager(call), t.ApiVersion(), "", ScopeOf(t, ""), SchemaOf(t),
                 Now());
  }
  if (t.group == "apiextensions.k8s.io") SetCrdStatus(object, alloc, Now());
  if (call.dry_run) return Freeze(std::move(object));
  ObjectPtr stored = Persist(t, std::move(object));
  AfterCommit(t, nullptr, stored);
  return stored;
}

mm::Result<ObjectPtr> ApiServer::CommitUpdate(const Call& call, const ObjectPtr& old,
                                              rapidjson::Document object, bool record_fields) {
  const ResourceType& t = call.type;
  Alloc& alloc = object.GetAllocator();
  std::string name = Str(*Member(*old, "metadata"), "name");
  std::string want_rv = AtPath(object, "metadata.resourceVersion")
                            ? Str(*Member(object, "metadata"), "resourceVersion")
                            : "";
  if (!want_rv.empty() && want_rv != Str(*Member(*old, "metadata"), "resourceVersion")) {
    return mm::Error::Api(StaleConflict(t.plural, t.group, name));
  }
  CopyMeta(*old, object, alloc,
           {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "generation", "resourceVersion"});
  if (!AtPath(object, "metadata.managedFields")) {
    CopyMeta(*old, object, alloc, {"managedFields"});
  }
  if (t.has_status && call.sub != "status") {
    if (const Json* status = Member(*old, "status")) {
      Set(object, "status", *status, alloc);
    } else {
      Remove(object, "status");
    }
  }
  if (t.group == "apiextensions.k8s.io") SetCrdStatus(object, alloc, Now());
  if (call.sub.empty()) ApplyDefaults(t, object, false, random_);
  if (t.generation && SpecChanged(*old, object, t.has_status)) {
    const Json* g = AtPath(*old, "metadata.generation");
    SetInt(Child(object, "metadata", alloc), "generation",
           (g && g->IsInt64() ? g->GetInt64() : 0) + 1, alloc);
  }
  if (record_fields) {
    RecordUpdate(old.get(), object, Manager(call), t.ApiVersion(),
                 call.sub == "status" ? "status" : "", ScopeOf(t, call.sub), SchemaOf(t), Now());
  }
  if (SameObject(*old, object)) return old;
  if (call.dry_run) return Freeze(std::move(object));
  const Json* finalizers = AtPath(object, "metadata.finalizers");
  bool finalized = finalizers == nullptr || !finalizers->IsArray() || finalizers->Empty();
  ObjectPtr stored = Persist(t, std::move(object));
  AfterCommit(t, old, stored);
  if (finalized && AtPath(*stored, "metadata.deletionTimestamp") != nullptr) {
    return DeleteObject(t, stored, "Background");
  }
  return stored;
}

ObjectPtr ApiServer::Persist(const ResourceType& type, rapidjson::Document object) {
  const Json& metadata = *Member(object, "metadata");
  std::string key = ObjectKey(Str(metadata, "namespace"), Str(metadata, "name"));
  return store_.Put(type.StorageId(), key, std::move(object));
}

}  // namespace sandbox
