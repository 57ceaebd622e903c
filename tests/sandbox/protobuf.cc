#include "tests/sandbox/protobuf.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "tests/sandbox/table.h"

namespace sandbox {
namespace {

enum class T {
  kString,
  kBytes,
  kInt,
  kBool,
  kMessage,
  kMap,
  kMapBytes,
  kMapQuantity,
  kTime,
  kIntOrString,
  kQuantity
};
enum Flags : unsigned { kNone = 0, kRepeated = 1, kKeepZero = 2 };

struct Field {
  int number;
  const char* name;
  T type;
  const char* message = nullptr;
  unsigned flags = kNone;
};

using Schema = std::map<std::string, std::vector<Field>, std::less<>>;

// Field numbers from k8s.io/api's generated.proto files.
const Schema& Messages() {
  static const Schema kSchema = {
      {"ObjectMeta",
       {{1, "name", T::kString},
        {2, "generateName", T::kString},
        {3, "namespace", T::kString},
        {5, "uid", T::kString},
        {6, "resourceVersion", T::kString},
        {7, "generation", T::kInt},
        {8, "creationTimestamp", T::kTime},
        {11, "labels", T::kMap},
        {12, "annotations", T::kMap},
        {13, "ownerReferences", T::kMessage, "OwnerReference", kRepeated},
        {14, "finalizers", T::kString, nullptr, kRepeated}}},
      {"OwnerReference",
       {{1, "kind", T::kString},
        {3, "name", T::kString},
        {4, "uid", T::kString},
        {5, "apiVersion", T::kString},
        {6, "controller", T::kBool, nullptr, kKeepZero},
        {7, "blockOwnerDeletion", T::kBool, nullptr, kKeepZero}}},
      {"Namespace",
       {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "NamespaceSpec"}}},
      {"NamespaceSpec", {{1, "finalizers", T::kString, nullptr, kRepeated}}},
      {"ConfigMap",
       {{1, "metadata", T::kMessage, "ObjectMeta"},
        {2, "data", T::kMap},
        {3, "binaryData", T::kMapBytes},
        {4, "immutable", T::kBool, nullptr, kKeepZero}}},
      {"Secret",
       {{1, "metadata", T::kMessage, "ObjectMeta"},
        {2, "data", T::kMapBytes},
        {3, "type", T::kString},
        {4, "stringData", T::kMap},
        {5, "immutable", T::kBool, nullptr, kKeepZero}}},
      {"ServiceAccount",
       {{1, "metadata", T::kMessage, "ObjectMeta"},
        {3, "imagePullSecrets", T::kMessage, "LocalObjectReference", kRepeated},
        {4, "automountServiceAccountToken", T::kBool, nullptr, kKeepZero}}},
      {"LocalObjectReference", {{1, "name", T::kString}}},
      {"Pod", {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "PodSpec"}}},
      {"PodTemplateSpec",
       {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "PodSpec"}}},
      {"PodSpec",
       {{2, "containers", T::kMessage, "Container", kRepeated},
        {3, "restartPolicy", T::kString},
        {4, "terminationGracePeriodSeconds", T::kInt, nullptr, kKeepZero},
        {6, "dnsPolicy", T::kString},
        {7, "nodeSelector", T::kMap},
        {8, "serviceAccountName", T::kString},
        {10, "nodeName", T::kString},
        {11, "hostNetwork", T::kBool},
        {20, "initContainers", T::kMessage, "Container", kRepeated},
        {19, "schedulerName", T::kString}}},
      {"Container",
       {{1, "name", T::kString},
        {2, "image", T::kString},
        {3, "command", T::kString, nullptr, kRepeated},
        {4, "args", T::kString, nullptr, kRepeated},
        {5, "workingDir", T::kString},
        {6, "ports", T::kMessage, "ContainerPort", kRepeated},
        {7, "env", T::kMessage, "EnvVar", kRepeated},
        {8, "resources", T::kMessage, "ResourceRequirements"},
        {13, "terminationMessagePath", T::kString},
        {14, "imagePullPolicy", T::kString},
        {16, "stdin", T::kBool},
        {17, "stdinOnce", T::kBool},
        {18, "tty", T::kBool},
        {20, "terminationMessagePolicy", T::kString}}},
      {"ContainerPort",
       {{1, "name", T::kString},
        {2, "hostPort", T::kInt},
        {3, "containerPort", T::kInt, nullptr, kKeepZero},
        {4, "protocol", T::kString},
        {5, "hostIP", T::kString}}},
      {"EnvVar", {{1, "name", T::kString}, {2, "value", T::kString}}},
      {"ResourceRequirements", {{1, "limits", T::kMapQuantity}, {2, "requests", T::kMapQuantity}}},
      {"Service",
       {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "ServiceSpec"}}},
      {"ServiceSpec",
       {{1, "ports", T::kMessage, "ServicePort", kRepeated},
        {2, "selector", T::kMap},
        {3, "clusterIP", T::kString},
        {4, "type", T::kString},
        {10, "externalName", T::kString}}},
      {"ServicePort",
       {{1, "name", T::kString},
        {2, "protocol", T::kString},
        {3, "port", T::kInt, nullptr, kKeepZero},
        {4, "targetPort", T::kIntOrString},
        {5, "nodePort", T::kInt}}},
      {"Deployment",
       {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "DeploymentSpec"}}},
      {"DeploymentSpec",
       {{1, "replicas", T::kInt, nullptr, kKeepZero},
        {2, "selector", T::kMessage, "LabelSelector"},
        {3, "template", T::kMessage, "PodTemplateSpec"},
        {4, "strategy", T::kMessage, "DeploymentStrategy"},
        {5, "minReadySeconds", T::kInt},
        {6, "revisionHistoryLimit", T::kInt, nullptr, kKeepZero},
        {7, "paused", T::kBool},
        {9, "progressDeadlineSeconds", T::kInt, nullptr, kKeepZero}}},
      {"DeploymentStrategy", {{1, "type", T::kString}}},
      {"LabelSelector",
       {{1, "matchLabels", T::kMap},
        {2, "matchExpressions", T::kMessage, "LabelSelectorRequirement", kRepeated}}},
      {"LabelSelectorRequirement",
       {{1, "key", T::kString},
        {2, "operator", T::kString},
        {3, "values", T::kString, nullptr, kRepeated}}},
      {"Job", {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "JobSpec"}}},
      {"JobSpec",
       {{1, "parallelism", T::kInt, nullptr, kKeepZero},
        {2, "completions", T::kInt, nullptr, kKeepZero},
        {3, "activeDeadlineSeconds", T::kInt, nullptr, kKeepZero},
        {4, "selector", T::kMessage, "LabelSelector"},
        {6, "template", T::kMessage, "PodTemplateSpec"},
        {7, "backoffLimit", T::kInt, nullptr, kKeepZero}}},
      {"CronJob",
       {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "CronJobSpec"}}},
      {"CronJobSpec",
       {{1, "schedule", T::kString},
        {3, "concurrencyPolicy", T::kString},
        {4, "suspend", T::kBool, nullptr, kKeepZero},
        {5, "jobTemplate", T::kMessage, "JobTemplateSpec"}}},
      {"JobTemplateSpec",
       {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "JobSpec"}}},
      {"Role",
       {{1, "metadata", T::kMessage, "ObjectMeta"},
        {2, "rules", T::kMessage, "PolicyRule", kRepeated}}},
      {"ClusterRole",
       {{1, "metadata", T::kMessage, "ObjectMeta"},
        {2, "rules", T::kMessage, "PolicyRule", kRepeated}}},
      {"PolicyRule",
       {{1, "verbs", T::kString, nullptr, kRepeated},
        {2, "apiGroups", T::kString, nullptr, kRepeated},
        {3, "resources", T::kString, nullptr, kRepeated},
        {4, "resourceNames", T::kString, nullptr, kRepeated},
        {5, "nonResourceURLs", T::kString, nullptr, kRepeated}}},
      {"RoleBinding",
       {{1, "metadata", T::kMessage, "ObjectMeta"},
        {2, "subjects", T::kMessage, "Subject", kRepeated},
        {3, "roleRef", T::kMessage, "RoleRef"}}},
      {"ClusterRoleBinding",
       {{1, "metadata", T::kMessage, "ObjectMeta"},
        {2, "subjects", T::kMessage, "Subject", kRepeated},
        {3, "roleRef", T::kMessage, "RoleRef"}}},
      {"Subject",
       {{1, "kind", T::kString},
        {2, "apiGroup", T::kString},
        {3, "name", T::kString},
        {4, "namespace", T::kString}}},
      {"RoleRef", {{1, "apiGroup", T::kString}, {2, "kind", T::kString}, {3, "name", T::kString}}},
      {"PodDisruptionBudget",
       {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "PDBSpec"}}},
      {"PDBSpec",
       {{1, "minAvailable", T::kIntOrString},
        {2, "selector", T::kMessage, "LabelSelector"},
        {3, "maxUnavailable", T::kIntOrString}}},
      {"SelfSubjectAccessReview",
       {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "SSARSpec"}}},
      {"SSARSpec",
       {{1, "resourceAttributes", T::kMessage, "ResourceAttributes"},
        {2, "nonResourceAttributes", T::kMessage, "NonResourceAttributes"}}},
      {"ResourceAttributes",
       {{1, "namespace", T::kString},
        {2, "verb", T::kString},
        {3, "group", T::kString},
        {4, "version", T::kString},
        {5, "resource", T::kString},
        {6, "subresource", T::kString},
        {7, "name", T::kString}}},
      {"NonResourceAttributes", {{1, "path", T::kString}, {2, "verb", T::kString}}},
      {"SelfSubjectRulesReview",
       {{1, "metadata", T::kMessage, "ObjectMeta"}, {2, "spec", T::kMessage, "SSRRSpec"}}},
      {"SSRRSpec", {{1, "namespace", T::kString}}},
      {"SelfSubjectReview", {{1, "metadata", T::kMessage, "ObjectMeta"}}},
  };
  return kSchema;
}

// A protobuf wire-format reader over one message's bytes.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }
  bool Varint(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64 && pos_ < data_.size(); shift += 7) {
      uint8_t b = static_cast<uint8_t>(data_[pos_++]);
      out |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }
  bool Bytes(std::string_view& out) {
    uint64_t len;
    if (!Varint(len) || len > data_.size() - pos_) return false;
    out = data_.substr(pos_, len);
    pos_ += len;
    return true;
  }
  bool Skip(int wire) {
    uint64_t ignored;
    std::string_view bytes;
    switch (wire) {
      case 0:
        return Varint(ignored);
      case 1:
        pos_ += 8;
        return pos_ <= data_.size();
      case 2:
        return Bytes(bytes);
      case 5:
        pos_ += 4;
        return pos_ <= data_.size();
      default:
        return false;
    }
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

bool DecodeMessage(std::string_view data, const std::string& type, Json& out, Alloc& alloc);

// Fields 1 and 2 of a message as bytes: a map<string, X> entry (key, value) or a TypeMeta.
bool StringPair(std::string_view data, std::string& key, std::string& value) {
  Reader r(data);
  while (!r.done()) {
    uint64_t tag;
    std::string_view bytes;
    if (!r.Varint(tag)) return false;
    if ((tag & 7) != 2) {
      if (!r.Skip(static_cast<int>(tag & 7))) return false;
      continue;
    }
    if (!r.Bytes(bytes)) return false;
    if ((tag >> 3) == 1) key = bytes;
    if ((tag >> 3) == 2) value = bytes;
  }
  return true;
}

// The string field 1 of a message (resource.Quantity).
std::string FirstString(std::string_view data) {
  std::string key, value;
  StringPair(data, key, value);
  return key;
}

bool Value(const Field& f, int wire, Reader& r, Json& out, Alloc& alloc) {
  uint64_t number = 0;
  std::string_view bytes;
  if (wire == 0) {
    if (!r.Varint(number)) return false;
  } else if (wire == 2) {
    if (!r.Bytes(bytes)) return false;
  } else {
    return r.Skip(wire);
  }
  Json value;
  switch (f.type) {
    case T::kString:
      value.SetString(bytes.data(), static_cast<rapidjson::SizeType>(bytes.size()), alloc);
      break;
    case T::kBytes:
      value.SetString(Base64Encode(bytes).c_str(), alloc);
      break;
    case T::kInt:
      value.SetInt64(static_cast<int64_t>(number));
      break;
    case T::kBool:
      value.SetBool(number != 0);
      break;
    case T::kQuantity:
      value.SetString(FirstString(bytes).c_str(), alloc);
      break;
    case T::kTime: {
      Reader t(bytes);
      uint64_t tag, seconds = 0;
      while (!t.done() && t.Varint(tag)) {
        uint64_t v;
        if ((tag & 7) != 0 || !t.Varint(v)) break;
        if ((tag >> 3) == 1) seconds = v;
      }
      if (static_cast<int64_t>(seconds) <= 0) return true;
      value.SetString(
          FormatTimestamp(std::chrono::system_clock::time_point(std::chrono::seconds(seconds)))
              .c_str(),
          alloc);
      break;
    }
    case T::kIntOrString: {
      Reader t(bytes);
      uint64_t tag, kind = 0, int_value = 0;
      std::string_view str;
      while (!t.done() && t.Varint(tag)) {
        int field = static_cast<int>(tag >> 3);
        if ((tag & 7) == 0) {
          uint64_t v;
          if (!t.Varint(v)) return false;
          if (field == 1) kind = v;
          if (field == 2) int_value = v;
        } else if (!t.Bytes(str)) {
          return false;
        }
      }
      if (kind == 1) {
        value.SetString(str.data(), static_cast<rapidjson::SizeType>(str.size()), alloc);
      } else {
        value.SetInt64(static_cast<int64_t>(int_value));
      }
      break;
    }
    case T::kMap:
    case T::kMapBytes:
    case T::kMapQuantity: {
      std::string key, v;
      if (!StringPair(bytes, key, v)) return false;
      if (f.type == T::kMapBytes) v = Base64Encode(v);
      if (f.type == T::kMapQuantity) v = FirstString(v);
      Json& map = Child(out, f.name, alloc);
      SetString(map, key, v, alloc);
      return true;
    }
    case T::kMessage:
      value.SetObject();
      if (!DecodeMessage(bytes, f.message, value, alloc)) return false;
      break;
  }
  bool zero = (value.IsString() && value.GetStringLength() == 0) ||
              (value.IsInt64() && value.GetInt64() == 0) || (value.IsBool() && !value.GetBool());
  if (zero && !(f.flags & kKeepZero) && !(f.flags & kRepeated)) return true;
  if (f.flags & kRepeated) {
    Json* list = MutableMember(out, f.name);
    if (list == nullptr || !list->IsArray()) {
      Set(out, f.name, Json(rapidjson::kArrayType), alloc);
      list = MutableMember(out, f.name);
    }
    list->PushBack(std::move(value), alloc);
  } else {
    Set(out, f.name, value, alloc);
  }
  return true;
}

bool DecodeMessage(std::string_view data, const std::string& type, Json& out, Alloc& alloc) {
  auto schema = Messages().find(type);
  if (schema == Messages().end()) return false;
  if (!out.IsObject()) out.SetObject();
  Reader r(data);
  while (!r.done()) {
    uint64_t tag;
    if (!r.Varint(tag)) return false;
    int number = static_cast<int>(tag >> 3);
    int wire = static_cast<int>(tag & 7);
    const Field* field = nullptr;
    for (const Field& f : schema->second) {
      if (f.number == number) field = &f;
    }
    bool ok = field ? Value(*field, wire, r, out, alloc) : r.Skip(wire);
    if (!ok) return false;
  }
  return true;
}

}  // namespace

mm::Result<rapidjson::Document> DecodeKubeProtobuf(std::string_view body) {
  constexpr std::string_view kMagic("k8s\0", 4);
  if (body.substr(0, 4) != kMagic) return mm::Error::Invalid("missing the k8s protobuf prefix");
  Reader envelope(body.substr(4));
  std::string api_version, kind;
  std::string_view raw;
  while (!envelope.done()) {
    uint64_t tag;
    std::string_view bytes;
    if (!envelope.Varint(tag) || (tag & 7) != 2 || !envelope.Bytes(bytes)) {
      return mm::Error::Invalid("malformed protobuf envelope");
    }
    if ((tag >> 3) == 1) {
      StringPair(bytes, api_version, kind);  // TypeMeta{apiVersion = 1, kind = 2}
    } else if ((tag >> 3) == 2) {
      raw = bytes;
    }
  }
  rapidjson::Document doc(rapidjson::kObjectType);
  Alloc& alloc = doc.GetAllocator();
  SetString(doc, "apiVersion", api_version, alloc);
  SetString(doc, "kind", kind, alloc);
  if (Messages().find(kind) == Messages().end()) {
    return mm::Error::Invalid("protobuf encoding of " + kind + " is not supported");
  }
  if (!DecodeMessage(raw, kind, doc, alloc)) {
    return mm::Error::Invalid("malformed protobuf " + kind);
  }
  return doc;
}

}  // namespace sandbox
