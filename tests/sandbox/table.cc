#include "tests/sandbox/table.h"

#include <ctime>

#include "core/human_duration.h"
#include "tests/sandbox/pod_status.h"
#include "tests/sandbox/selectors.h"

namespace sandbox {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void String(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

int64_t IntAt(const Json& object, std::string_view path, int64_t fallback = 0) {
  const Json* v = AtPath(object, path);
  return v && v->IsInt64() ? v->GetInt64() : fallback;
}

std::string StrAt(const Json& object, std::string_view path, std::string fallback = "<none>") {
  const Json* v = AtPath(object, path);
  if (v == nullptr || !v->IsString() || v->GetStringLength() == 0) return fallback;
  return std::string(StrView(*v));
}

size_t CountAt(const Json& object, std::string_view path) {
  const Json* v = AtPath(object, path);
  if (v == nullptr) return 0;
  if (v->IsObject()) return v->MemberCount();
  if (v->IsArray()) return v->Size();
  return 0;
}

std::string Join(const Json* list, std::string_view field) {
  std::string out;
  if (list == nullptr || !list->IsArray()) return "";
  for (const auto& item : list->GetArray()) {
    if (!out.empty()) out += ",";
    out += Str(item, field);
  }
  return out;
}

}  // namespace

int64_t ParseTimestamp(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  if (s.size() < 20 || strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return -1;
  return static_cast<int64_t>(timegm(&tm));
}

std::string FormatTimestamp(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

const Json* EvalJsonPath(const Json& object, std::string_view path) {
  const Json* node = &object;
  size_t i = 0;
  if (!path.empty() && path.front() == '{') path = path.substr(1, path.size() - 2);
  while (node != nullptr && i < path.size()) {
    if (path[i] == '.') {
      size_t end = path.find_first_of(".[", i + 1);
      std::string_view name = path.substr(i + 1, end == std::string_view::npos ? end : end - i - 1);
      node = Member(*node, name);
      i = end == std::string_view::npos ? path.size() : end;
    } else if (path[i] == '[') {
      size_t end = path.find(']', i);
      if (end == std::string_view::npos || !node->IsArray()) return nullptr;
      std::string_view inner = path.substr(i + 1, end - i - 1);
      i = end + 1;
      if (inner == "*") {
        node = node->Size() > 0 ? &(*node)[0] : nullptr;
      } else if (inner.rfind("?(@.", 0) == 0) {
        size_t eq = inner.find("==");
        if (eq == std::string_view::npos) return nullptr;
        std::string key(inner.substr(4, eq - 4));
        std::string_view want = inner.substr(eq + 2, inner.size() - eq - 3);
        if (want.size() >= 2 && (want.front() == '"' || want.front() == '\'')) {
          want = want.substr(1, want.size() - 2);
        }
        const Json* found = nullptr;
        for (const auto& item : node->GetArray()) {
          if (Str(item, key) == want) {
            found = &item;
            break;
          }
        }
        node = found;
      } else {
        size_t index = std::strtoul(std::string(inner).c_str(), nullptr, 10);
        node = index < node->Size() ? &(*node)[static_cast<rapidjson::SizeType>(index)] : nullptr;
      }
    } else {
      return nullptr;
    }
  }
  return node;
}

TablePrinter::TablePrinter(const ResourceType& type, std::chrono::system_clock::time_point now,
                           std::string api_version)
    : type_(type), now_(now), api_version_(std::move(api_version)) {
  auto col = [&](std::string name, int priority = 0, std::string type = "string",
                 std::string format = "") {
    columns_.push_back({std::move(name), std::move(type), std::move(format), "", priority, ""});
  };
  col("Name", 0, "string", "name");
  const std::string& p = type.plural;
  if (type.custom) {
    if (type.printer_columns.empty()) col("Age", 0, "date");
    for (const auto& c : type.printer_columns) {
      columns_.push_back({c.name, c.type, c.format, c.description, c.priority, c.json_path});
    }
    return;
  }
  if (p == "pods") {
    for (auto n : {"Ready", "Status"}) col(n);
    col("Restarts", 0, "string");
    col("Age");
    for (auto n : {"IP", "Node", "Nominated Node", "Readiness Gates"}) col(n, 1);
  } else if (p == "deployments") {
    col("Ready");
    col("Up-to-date", 0, "integer");
    col("Available", 0, "integer");
    col("Age");
    for (auto n : {"Containers", "Images", "Selector"}) col(n, 1);
  } else if (p == "replicasets") {
    for (auto n : {"Desired", "Current", "Ready"}) col(n, 0, "integer");
    col("Age");
    for (auto n : {"Containers", "Images", "Selector"}) col(n, 1);
  } else if (p == "statefulsets") {
    col("Ready");
    col("Age");
    for (auto n : {"Containers", "Images"}) col(n, 1);
  } else if (p == "services") {
    for (auto n : {"Type", "Cluster-IP", "External-IP", "Port(s)", "Age"}) col(n);
    col("Selector", 1);
  } else if (p == "namespaces") {
    col("Status");
    col("Age");
  } else if (p == "nodes") {
    for (auto n : {"Status", "Roles", "Age", "Version"}) col(n);
    for (auto n :
         {"Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"}) {
      col(n, 1);
    }
  } else if (p == "configmaps") {
    col("Data", 0, "integer");
    col("Age");
  } else if (p == "serviceaccounts") {
    col("Secrets", 0, "integer");
    col("Age");
  } else if (p == "secrets") {
    col("Type");
    col("Data", 0, "integer");
    col("Age");
  } else if (p == "jobs") {
    for (auto n : {"Status", "Completions", "Duration", "Age"}) col(n);
    for (auto n : {"Containers", "Images", "Selector"}) col(n, 1);
  } else if (p == "customresourcedefinitions" || p == "roles" || p == "clusterroles") {
    col("Created At", 0, "date");
  } else {
    col("Age");
  }
}

void TablePrinter::Cells(const Json& o, Writer& w) const {
  const int64_t now_secs =
      std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count();
  auto age = [&](const Json& object) {
    int64_t created = ParseTimestamp(StrAt(object, "metadata.creationTimestamp", ""));
    if (created < 0) return std::string("<unknown>");
    return mm::HumanDuration(std::chrono::seconds(now_secs - created));
  };
  w.StartArray();
  String(w, StrAt(o, "metadata.name", ""));
  const std::string& p = type_.plural;
  const Json* containers =
      AtPath(o, p == "pods" ? "spec.containers" : "spec.template.spec.containers");
  const Json* selector = AtPath(o, "spec.selector");
  std::string selector_text =
      selector && selector->IsObject() ? FormatLabelSelector(*selector) : "<none>";
  if (type_.custom) {
    for (size_t i = 1; i < columns_.size(); ++i) {
      const Column& c = columns_[i];
      const Json* v = c.json_path.empty() ? AtPath(o, "metadata.creationTimestamp")
                                          : EvalJsonPath(o, c.json_path);
      if (v == nullptr) {
        w.Null();
      } else if (c.type == "date") {
        int64_t t = v->IsString() ? ParseTimestamp(StrView(*v)) : -1;
        String(w, t < 0 ? "<unknown>" : mm::HumanDuration(std::chrono::seconds(now_secs - t)));
      } else {
        v->Accept(w);
      }
    }
  } else if (p == "pods") {
    size_t total = CountAt(o, "spec.containers"), ready = 0, restarts = 0;
    if (const Json* st = AtPath(o, "status.containerStatuses"); st && st->IsArray()) {
      for (const auto& c : st->GetArray()) {
        const Json* r = Member(c, "ready");
        if (r && r->IsBool() && r->GetBool()) ++ready;
        restarts += static_cast<size_t>(IntAt(c, "restartCount"));
      }
    }
    String(w, std::to_string(ready) + "/" + std::to_string(total));
    String(w, PodStatusReason(o));
    String(w, std::to_string(restarts));
    String(w, age(o));
    String(w, StrAt(o, "status.podIP"));
    String(w, StrAt(o, "spec.nodeName"));
    String(w, StrAt(o, "status.nominatedNodeName"));
    String(w, "<none>");
  } else if (p == "deployments" || p == "replicasets" || p == "statefulsets") {
    int64_t desired = IntAt(o, "spec.replicas", 1);
    if (p == "replicasets") {
      w.Int64(desired);
      w.Int64(IntAt(o, "status.replicas"));
      w.Int64(IntAt(o, "status.readyReplicas"));
    } else {
      String(w, std::to_string(IntAt(o, "status.readyReplicas")) + "/" + std::to_string(desired));
    }
    if (p == "deployments") {
      w.Int64(IntAt(o, "status.updatedReplicas"));
      w.Int64(IntAt(o, "status.availableReplicas"));
    }
    String(w, age(o));
    String(w, Join(containers, "name"));
    String(w, Join(containers, "image"));
    if (p != "statefulsets") String(w, selector_text);
  } else if (p == "services") {
    String(w, StrAt(o, "spec.type", "ClusterIP"));
    String(w, StrAt(o, "spec.clusterIP"));
    String(w, "<none>");
    std::string ports;
    if (const Json* list = AtPath(o, "spec.ports"); list && list->IsArray()) {
      for (const auto& port : list->GetArray()) {
        if (!ports.empty()) ports += ",";
        ports += std::to_string(IntAt(port, "port")) + "/" + StrAt(port, "protocol", "TCP");
      }
    }
    String(w, ports.empty() ? "<none>" : ports);
    String(w, age(o));
    std::string sel;
    if (const Json* m = AtPath(o, "spec.selector"); m && m->IsObject()) {
      for (const auto& kv : m->GetObject()) {
        sel += (sel.empty() ? "" : ",") + std::string(StrView(kv.name)) + "=" +
               std::string(StrView(kv.value));
      }
    }
    String(w, sel.empty() ? "<none>" : sel);
  } else if (p == "namespaces") {
    String(w, StrAt(o, "status.phase", "Active"));
    String(w, age(o));
  } else if (p == "nodes") {
    String(w, "Ready");
    String(w, "<none>");
    String(w, age(o));
    String(w, StrAt(o, "status.nodeInfo.kubeletVersion", ""));
    std::string ip = "<none>";
    if (const Json* a = AtPath(o, "status.addresses"); a && a->IsArray() && a->Size() > 0) {
      ip = Str((*a)[0], "address");
    }
    String(w, ip);
    String(w, "<none>");
    String(w, StrAt(o, "status.nodeInfo.osImage", "<unknown>"));
    String(w, StrAt(o, "status.nodeInfo.kernelVersion", "<unknown>"));
    String(w, StrAt(o, "status.nodeInfo.containerRuntimeVersion", "<unknown>"));
  } else if (p == "serviceaccounts") {
    w.Uint64(CountAt(o, "secrets"));
    String(w, age(o));
  } else if (p == "configmaps" || p == "secrets") {
    if (p == "secrets") String(w, StrAt(o, "type", "Opaque"));
    w.Uint64(CountAt(o, "data") + CountAt(o, "binaryData"));
    String(w, age(o));
  } else if (p == "jobs") {
    int64_t completions = IntAt(o, "spec.completions", 1);
    std::string status = IntAt(o, "status.succeeded") >= completions ? "Complete" : "Running";
    if (IntAt(o, "status.failed") > 0 && status != "Complete") status = "Failed";
    String(w, status);
    String(w, std::to_string(IntAt(o, "status.succeeded")) + "/" + std::to_string(completions));
    String(w, "");
    String(w, age(o));
    String(w, Join(containers, "name"));
    String(w, Join(containers, "image"));
    String(w, selector_text);
  } else if (columns_.size() > 1 && columns_[1].name == "Created At") {
    String(w, StrAt(o, "metadata.creationTimestamp", ""));
  } else {
    String(w, age(o));
  }
  w.EndArray();
}

std::string TablePrinter::Build(const std::vector<const Json*>& objects, IncludeObject include,
                                bool with_columns, const std::string& list_rv,
                                const std::string& continue_token) const {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("kind");
  w.String("Table");
  w.Key("apiVersion");
  String(w, api_version_);
  w.Key("metadata");
  w.StartObject();
  if (!list_rv.empty()) {
    w.Key("resourceVersion");
    String(w, list_rv);
  }
  if (!continue_token.empty()) {
    w.Key("continue");
    String(w, continue_token);
  }
  w.EndObject();
  w.Key("columnDefinitions");
  w.StartArray();
  for (const Column& c : with_columns ? columns_ : std::vector<Column>{}) {
    w.StartObject();
    for (auto [k, v] : {std::pair{"name", &c.name},
                        {"type", &c.type},
                        {"format", &c.format},
                        {"description", &c.description}}) {
      w.Key(k);
      String(w, *v);
    }
    w.Key("priority");
    w.Int(c.priority);
    w.EndObject();
  }
  w.EndArray();
  w.Key("rows");
  w.StartArray();
  for (const Json* o : objects) {
    w.StartObject();
    w.Key("cells");
    Cells(*o, w);
    if (include == IncludeObject::kObject) {
      w.Key("object");
      o->Accept(w);
    } else if (include == IncludeObject::kMetadata) {
      w.Key("object");
      w.StartObject();
      w.Key("kind");
      w.String("PartialObjectMetadata");
      w.Key("apiVersion");
      w.String("meta.k8s.io/v1");
      w.Key("metadata");
      if (const Json* m = Member(*o, "metadata")) {
        m->Accept(w);
      } else {
        w.StartObject();
        w.EndObject();
      }
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string TablePrinter::Render(const std::vector<const Json*>& objects, IncludeObject include,
                                 const std::string& list_rv,
                                 const std::string& continue_token) const {
  return Build(objects, include, true, list_rv, continue_token);
}

std::string TablePrinter::RenderRow(const Json& object, IncludeObject include,
                                    bool with_columns) const {
  return Build({&object}, include, with_columns, "", "");
}

}  // namespace sandbox
