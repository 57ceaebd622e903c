// GET of one object, list (selectors, pagination, snapshot reads) and watch.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/json.h"
#include "core/yaml.h"
#include "tests/sandbox/api_call.h"
#include "tests/sandbox/scale.h"
#include "tests/sandbox/selectors.h"
#include "tests/sandbox/status.h"
#include "tests/sandbox/watch.h"

namespace sandbox {
namespace {

struct ContinueToken {
  uint64_t rv = 0;
  std::string start;
};

std::string EncodeContinue(uint64_t rv, const std::string& start) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("v");
  w.String("meta.k8s.io/v1");
  w.Key("rv");
  w.Uint64(rv);
  w.Key("start");
  w.String((start + '\0').c_str(), static_cast<rapidjson::SizeType>(start.size() + 1));
  w.EndObject();
  return Base64Encode({buffer.GetString(), buffer.GetSize()});
}

mm::Result<ContinueToken> DecodeContinue(const std::string& token) {
  std::string json;
  auto bad = [&] { return mm::Error::Api(BadRequest("continue key is not valid: " + token)); };
  if (!Base64Decode(token, json)) return bad();
  auto doc = mm::ParseJson(json);
  if (!doc || !doc->IsObject()) return bad();
  const Json* rv = Member(*doc, "rv");
  if (rv == nullptr || !rv->IsUint64()) return bad();
  ContinueToken out{rv->GetUint64(), Str(*doc, "start")};
  if (!out.start.empty() && out.start.back() == '\0') out.start.pop_back();
  return out;
}

mm::Result<uint64_t> ParseRv(const std::string& text) {
  try {
    size_t used = 0;
    uint64_t rv = std::stoull(text, &used);
    if (used == text.size()) return rv;
  } catch (const std::exception&) {
  }
  return mm::Error::Api(BadRequest("invalid resource version: " + text));
}

}  // namespace

mm::Result<Response> ApiServer::Get(Call& call) {
  ObjectPtr object = store_.Get(call.type.StorageId(), ObjectKey(call.ns, call.name));
  if (object == nullptr) {
    return mm::Error::Api(NotFound(call.type.plural, call.type.group, call.name));
  }
  if (call.sub == "scale") {
    return ScaleResponse(ScaleOf(call.type, *object));
  }
  if (call.sub == "log" && pod_streams_ != nullptr) return pod_streams_->Log(*object, call.req);
  if (call.sub == "log") {
    // No kubelet runs these pods: an unscheduled pod's log is empty, as on a real cluster.
    Response r;
    r.content_type = "text/plain";
    return r;
  }
  if (call.sub == "exec" || call.sub == "attach" || call.sub == "portforward") {
    if (call.req.upgrade.empty()) return mm::Error::Api(BadRequest("Upgrade request required"));
    const Json* node = AtPath(*object, "spec.nodeName");
    if (pod_streams_ == nullptr || node == nullptr || StrView(*node).empty()) {
      return mm::Error::Api(BadRequest("pod " + call.name + " does not have a host assigned"));
    }
    if (call.sub == "exec") return pod_streams_->Exec(*object, call.req);
    if (call.sub == "attach") return pod_streams_->Attach(*object, call.req);
    return pod_streams_->PortForward(*object, call.req);
  }
  return ObjectResponse(call, *object, 200);
}

mm::Result<Response> ApiServer::List(Call& call) {
  auto filter = ParseFilter(call.req.Query("labelSelector"), call.req.Query("fieldSelector"),
                            call.type.group, call.type.plural);
  if (!filter) return filter.error();
  size_t limit = 0;
  if (std::string l = call.req.Query("limit"); !l.empty()) {
    limit = static_cast<size_t>(std::strtoull(l.c_str(), nullptr, 10));
  }
  uint64_t at_rv = 0;
  std::string start_after;
  if (std::string token = call.req.Query("continue"); !token.empty()) {
    auto decoded = DecodeContinue(token);
    if (!decoded) return decoded.error();
    if (decoded->rv < store_.oldest_rv()) {
      return mm::Error::Api(Expired(
          "The provided continue parameter is too old to display a consistent list result. You "
          "can start a new list without the continue parameter, or use the continue token in "
          "this response to retrieve the remainder of the results. Continuing with the provided "
          "token results in an inconsistent list - objects that were created, modified, or "
          "deleted between the time the first chunk was returned and now may show up in the "
          "list."));
    }
    at_rv = decoded->rv;
    start_after = decoded->start;
  } else if (std::string rv = call.req.Query("resourceVersion");
             !rv.empty() && call.req.Query("resourceVersionMatch") == "Exact") {
    auto parsed = ParseRv(rv);
    if (!parsed) return parsed.error();
    if (*parsed < store_.oldest_rv()) {
      return mm::Error::Api(Expired("too old resource version: " + rv + " (" +
                                    std::to_string(store_.oldest_rv() + 1) + ")"));
    }
    at_rv = *parsed;
  }
  uint64_t list_rv = at_rv != 0 ? at_rv : store_.rv();
  std::string prefix = call.ns.empty() ? "" : call.ns + "/";
  std::vector<ObjectPtr> items;
  std::string last_key;
  bool more = false;
  store_.Scan(call.type.StorageId(), prefix, start_after, at_rv,
              [&](const std::string& key, const ObjectPtr& o) {
                if (!filter->Matches(*o)) return true;
                if (limit != 0 && items.size() == limit) {
                  more = true;
                  return false;
                }
                items.push_back(o);
                last_key = key;
                return true;
              });
  std::string continue_token = more ? EncodeContinue(list_rv, last_key) : "";
  std::string rv_text = std::to_string(list_rv);
  Response r;
  if (call.output == Output::kTable) {
    std::vector<const Json*> objects;
    for (const auto& o : items) objects.push_back(o.get());
    TablePrinter printer(call.type, config_.clock(), "meta.k8s.io/" + call.table_version);
    r.body = printer.Render(objects, call.include, rv_text, continue_token);
    r.content_type = "application/json;as=Table;v=" + call.table_version + ";g=meta.k8s.io";
    return r;
  }
  std::string body = R"({"kind":")" + call.type.kind + R"(List","apiVersion":")" +
                     call.type.ApiVersion() + R"(","metadata":{"resourceVersion":")" + rv_text +
                     "\"";
  if (!continue_token.empty()) body += R"(,"continue":")" + continue_token + "\"";
  body += R"(},"items":[)";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) body += ",";
    AppendPresented(call, items[i], body);
  }
  body += "]}";
  if (call.output == Output::kYaml) {
    auto parsed = mm::ParseJson(body);
    r.body = mm::ToYaml(*parsed);
    r.content_type = "application/yaml";
  } else {
    r.body = std::move(body);
  }
  return r;
}

mm::Result<Response> ApiServer::Watch(Call& call) {
  WatchOptions options;
  options.ns = call.ns;
  std::string field_text = call.req.Query("fieldSelector");
  if (!call.name.empty()) {
    field_text += (field_text.empty() ? "" : ",") + std::string("metadata.name=") + call.name;
  }
  auto filter =
      ParseFilter(call.req.Query("labelSelector"), field_text, call.type.group, call.type.plural);
  if (!filter) return filter.error();
  options.filter = std::move(*filter);
  std::string rv = call.req.Query("resourceVersion");
  options.from_start = rv.empty() || rv == "0";
  if (!options.from_start) {
    auto parsed = ParseRv(rv);
    if (!parsed) return parsed.error();
    options.from_rv = *parsed;
  }
  options.send_initial_events = QueryBool(call.req.Query("sendInitialEvents"));
  if (options.send_initial_events && call.req.Query("resourceVersionMatch") != "NotOlderThan") {
    return mm::Error::Api(
        Invalid("ListOptions", "meta.k8s.io", "",
                {Cause("FieldValueForbidden", "resourceVersionMatch",
                       "Forbidden: sendInitialEvents requires setting resourceVersionMatch to "
                       "NotOlderThan")}));
  }
  options.bookmarks = QueryBool(call.req.Query("allowWatchBookmarks"));
  options.bookmark_interval = config_.bookmark_interval;
  int64_t timeout = 1800;
  if (std::string t = call.req.Query("timeoutSeconds"); !t.empty()) {
    timeout = std::strtoll(t.c_str(), nullptr, 10);
  }
  options.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  auto type = std::make_shared<ResourceType>(call.type);
  EventRenderer render;
  if (call.output == Output::kTable) {
    auto clock = config_.clock;
    std::string api_version = "meta.k8s.io/" + call.table_version;
    IncludeObject include = call.include;
    render = [type, clock, api_version, include](const Json& object, bool first) {
      return TablePrinter(*type, clock(), api_version).RenderRow(object, include, first);
    };
  } else {
    render = [type](const Json& object, bool) {
      const Json* api_version = Member(object, "apiVersion");
      if (type->custom && api_version && StrView(*api_version) != type->ApiVersion()) {
        rapidjson::Document copy = Clone(object);
        SetString(copy, "apiVersion", type->ApiVersion(), copy.GetAllocator());
        return Dump(copy);
      }
      return Dump(object);
    };
  }
  Response r;
  r.stream =
      std::make_shared<WatchStream>(store_, call.type, std::move(options), std::move(render));
  return r;
}

}  // namespace sandbox
