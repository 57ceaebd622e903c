#include "kubeapi/rest_client.h"

#include "core/json.h"
#include "kubeapi/status_error.h"
#include "kubeapi/url.h"

namespace mm::kubeapi {
namespace {

std::string ObjectName(const rapidjson::Value& object) {
  const rapidjson::Value* metadata = FindMember(object, "metadata");
  return metadata == nullptr ? std::string() : GetString(*metadata, "name");
}

void AddWriteParams(const WriteOptions& options, QueryParams& query) {
  if (options.dry_run) query.emplace_back("dryRun", "All");
  if (!options.field_manager.empty()) query.emplace_back("fieldManager", options.field_manager);
  if (!options.field_validation.empty()) {
    query.emplace_back("fieldValidation", options.field_validation);
  }
}

const char* PatchContentType(PatchType type) {
  switch (type) {
    case PatchType::kJson:
      return "application/json-patch+json";
    case PatchType::kMerge:
      return "application/merge-patch+json";
    case PatchType::kStrategic:
      return "application/strategic-merge-patch+json";
  }
  return "application/merge-patch+json";
}

// Gives every item the list's apiVersion and its kind ("PodList" -> "Pod"), because the server
// may omit them from items.
void FillItemTypes(rapidjson::Value& items, const std::string& api_version,
                   const std::string& list_kind, rapidjson::Document::AllocatorType& allocator) {
  std::string kind = list_kind.size() > 4 && list_kind.compare(list_kind.size() - 4, 4, "List") == 0
                         ? list_kind.substr(0, list_kind.size() - 4)
                         : list_kind;
  for (rapidjson::Value& item : items.GetArray()) {
    if (!item.IsObject()) continue;
    if (FindMember(item, "apiVersion") == nullptr) {
      item.AddMember("apiVersion", rapidjson::Value(api_version.c_str(), allocator), allocator);
    }
    if (FindMember(item, "kind") == nullptr) {
      item.AddMember("kind", rapidjson::Value(kind.c_str(), allocator), allocator);
    }
  }
}

QueryParams ListQuery(const ListOptions& options, const std::string& continue_token) {
  QueryParams query;
  if (!options.label_selector.empty()) query.emplace_back("labelSelector", options.label_selector);
  if (!options.field_selector.empty()) query.emplace_back("fieldSelector", options.field_selector);
  if (options.limit > 0) query.emplace_back("limit", std::to_string(options.limit));
  if (!continue_token.empty()) {
    query.emplace_back("continue", continue_token);
  } else if (!options.resource_version.empty()) {
    query.emplace_back("resourceVersion", options.resource_version);
  }
  return query;
}

std::string ContinueToken(const rapidjson::Value& page) {
  const rapidjson::Value* metadata = FindMember(page, "metadata");
  return metadata == nullptr ? "" : GetString(*metadata, "continue");
}

// Makes `list` (one whole page) a list as List returns it: items an array, each with its
// apiVersion and kind.
void CompleteItems(rapidjson::Document& list, const ResourceMapping& mapping) {
  if (!list.IsObject()) list.SetObject();
  if (!list.HasMember("items") || !list["items"].IsArray()) {
    list.RemoveMember("items");
    list.AddMember("items", rapidjson::Value(rapidjson::kArrayType), list.GetAllocator());
  }
  FillItemTypes(list["items"], GetString(list, "apiVersion", mapping.GroupVersion()),
                GetString(list, "kind", mapping.kind + "List"), list.GetAllocator());
}

}  // namespace

std::string GoDurationString(std::chrono::milliseconds duration) {
  int64_t ms = duration.count();
  if (ms == 0) return "0s";
  if (ms % 1000 != 0 && ms < 1000) return std::to_string(ms) + "ms";
  std::string out;
  int64_t hours = ms / 3600000;
  int64_t minutes = ms / 60000 % 60;
  int64_t millis = ms % 60000;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  std::string seconds = std::to_string(millis / 1000);
  if (millis % 1000 != 0) {
    std::string fraction = std::to_string(1000 + millis % 1000).substr(1);
    while (fraction.back() == '0') fraction.pop_back();
    seconds += "." + fraction;
  }
  return out + seconds + "s";
}

std::string ResourcePath(const ResourceMapping& mapping, const std::string& namespace_name,
                         const std::string& name, const std::string& subresource) {
  std::string path = mapping.group.empty() ? "/api/" + mapping.version
                                           : "/apis/" + mapping.group + "/" + mapping.version;
  if (mapping.namespaced && !namespace_name.empty()) path += "/namespaces/" + namespace_name;
  path += "/" + mapping.resource;
  if (!name.empty()) path += "/" + name;
  if (!subresource.empty()) path += "/" + subresource;
  return path;
}

RestClient::RestClient(Transport& transport, std::string server,
                       std::chrono::milliseconds request_timeout, const CancellationToken* cancel)
    : transport_(transport),
      server_(std::move(server)),
      request_timeout_(request_timeout),
      cancel_(cancel) {}

Result<HttpResponse> RestClient::Do(const RestRequest& rest) {
  HttpRequest request;
  request.method = rest.method;
  QueryParams query = rest.query;
  if (request_timeout_.count() > 0 && !rest.streaming) {
    query.emplace_back("timeout", GoDurationString(request_timeout_));
    request.timeout = request_timeout_;
  }
  if (rest.timeout.count() > 0) request.timeout = rest.timeout;
  request.url = server_ + rest.path + EncodeQuery(query);
  request.headers.emplace_back("Accept", rest.accept.empty() ? "application/json" : rest.accept);
  if (!rest.body.empty()) {
    request.headers.emplace_back(
        "Content-Type", rest.content_type.empty() ? "application/json" : rest.content_type);
  }
  request.body = rest.body;
  request.on_body = rest.on_body;
  request.cancel = rest.cancel != nullptr ? rest.cancel : cancel_;
  HttpResponse response = transport_.RoundTrip(request);
  if (response.failure != NetworkFailure::kNone) return ErrorFromFailure(response);
  if (response.status < 200 || response.status >= 300) {
    return ErrorFromResponse(response, rest.method);
  }
  return response;
}

Result<rapidjson::Document> RestClient::DoJson(const RestRequest& request) {
  Result<HttpResponse> response = Do(request);
  if (!response) return std::move(response).error();
  // Names the request, so a cut or garbled body says which answer was bad.
  return ParseJson(response->body,
                   "the server's response to " + request.method + " " + request.path);
}

Result<rapidjson::Document> RestClient::Get(const ResourceMapping& mapping,
                                            const std::string& namespace_name,
                                            const std::string& name,
                                            const std::string& subresource) {
  return DoJson({.path = ResourcePath(mapping, namespace_name, name, subresource)});
}

Result<rapidjson::Document> RestClient::List(const ResourceMapping& mapping,
                                             const std::string& namespace_name,
                                             const ListOptions& options) {
  rapidjson::Document merged;
  rapidjson::Value items(rapidjson::kArrayType);
  std::string continue_token;
  do {
    Result<rapidjson::Document> page = DoJson({.path = ResourcePath(mapping, namespace_name),
                                               .query = ListQuery(options, continue_token)});
    if (!page) return page;
    continue_token = ContinueToken(*page);
    if (continue_token.empty() && merged.IsNull()) {
      // The only page: it is the list (copying every item would double the work on big lists).
      CompleteItems(*page, mapping);
      return page;
    }
    if (auto page_items = page->FindMember("items");
        page_items != page->MemberEnd() && page_items->value.IsArray()) {
      for (rapidjson::Value& item : page_items->value.GetArray()) {
        items.PushBack(rapidjson::Value(item, merged.GetAllocator()), merged.GetAllocator());
      }
    }
    page->RemoveMember("items");
    if (auto meta = page->FindMember("metadata");
        meta != page->MemberEnd() && meta->value.IsObject()) {
      meta->value.RemoveMember("continue");
    }
    merged.CopyFrom(*page, merged.GetAllocator());
  } while (!continue_token.empty());
  FillItemTypes(items, GetString(merged, "apiVersion", mapping.GroupVersion()),
                GetString(merged, "kind", mapping.kind + "List"), merged.GetAllocator());
  merged.AddMember("items", items, merged.GetAllocator());
  return merged;
}

Result<std::shared_ptr<const InPlaceList>> RestClient::ListInPlace(
    const ResourceMapping& mapping, const std::string& namespace_name, const ListOptions& options) {
  Result<HttpResponse> response =
      Do({.path = ResourcePath(mapping, namespace_name), .query = ListQuery(options, "")});
  if (!response) return std::move(response).error();
  auto list = std::make_shared<InPlaceList>();
  list->body = std::move(response->body);
  auto parsed = ParseJsonInPlace(
      list->body, "the server's response to GET " + ResourcePath(mapping, namespace_name));
  if (!parsed) return std::move(parsed).error();
  list->document = std::move(*parsed);
  if (!ContinueToken(list->document).empty()) {
    // More pages: List follows them (asking for the first page again).
    auto merged = List(mapping, namespace_name, options);
    if (!merged) return std::move(merged).error();
    return std::shared_ptr<const InPlaceList>(
        std::make_shared<InPlaceList>(InPlaceList{{}, std::move(*merged)}));
  }
  CompleteItems(list->document, mapping);
  return std::shared_ptr<const InPlaceList>(std::move(list));
}

Result<rapidjson::Document> RestClient::Create(const ResourceMapping& mapping,
                                               const std::string& namespace_name,
                                               const rapidjson::Value& object,
                                               const WriteOptions& options) {
  RestRequest request{.method = "POST", .path = ResourcePath(mapping, namespace_name)};
  AddWriteParams(options, request.query);
  request.body = ToJson(object);
  return DoJson(request);
}

Result<rapidjson::Document> RestClient::Update(const ResourceMapping& mapping,
                                               const std::string& namespace_name,
                                               const rapidjson::Value& object,
                                               const WriteOptions& options,
                                               const std::string& subresource) {
  RestRequest request{
      .method = "PUT",
      .path = ResourcePath(mapping, namespace_name, ObjectName(object), subresource)};
  AddWriteParams(options, request.query);
  request.body = ToJson(object);
  return DoJson(request);
}

Result<rapidjson::Document> RestClient::Patch(const ResourceMapping& mapping,
                                              const std::string& namespace_name,
                                              const std::string& name, PatchType type,
                                              const std::string& patch, const WriteOptions& options,
                                              const std::string& subresource) {
  RestRequest request{.method = "PATCH",
                      .path = ResourcePath(mapping, namespace_name, name, subresource),
                      .body = patch,
                      .content_type = PatchContentType(type)};
  AddWriteParams(options, request.query);
  return DoJson(request);
}

Result<rapidjson::Document> RestClient::Apply(const ResourceMapping& mapping,
                                              const std::string& namespace_name,
                                              const rapidjson::Value& object,
                                              const ApplyOptions& options) {
  auto outcome = ApplyWithOutcome(mapping, namespace_name, object, options);
  if (!outcome) return std::move(outcome).error();
  return std::move(outcome->object);
}

Result<ApplyOutcome> RestClient::ApplyWithOutcome(const ResourceMapping& mapping,
                                                  const std::string& namespace_name,
                                                  const rapidjson::Value& object,
                                                  const ApplyOptions& options) {
  RestRequest request{.method = "PATCH",
                      .path = ResourcePath(mapping, namespace_name, ObjectName(object)),
                      .body = ToJson(object),
                      .content_type = "application/apply-patch+yaml"};
  if (options.dry_run) request.query.emplace_back("dryRun", "All");
  request.query.emplace_back("fieldManager", options.field_manager);
  request.query.emplace_back("force", options.force ? "true" : "false");
  Result<HttpResponse> response = Do(request);
  if (!response) return std::move(response).error();
  auto parsed = ParseJson(response->body, "server response");
  if (!parsed) return std::move(parsed).error();
  return ApplyOutcome{std::move(*parsed), response->status == 201};
}

Result<rapidjson::Document> RestClient::Delete(const ResourceMapping& mapping,
                                               const std::string& namespace_name,
                                               const std::string& name,
                                               const DeleteOptions& options) {
  rapidjson::Document body(rapidjson::kObjectType);
  auto& a = body.GetAllocator();
  body.AddMember("kind", "DeleteOptions", a);
  body.AddMember("apiVersion", "v1", a);
  if (options.grace_period_seconds) {
    body.AddMember("gracePeriodSeconds", *options.grace_period_seconds, a);
  }
  if (!options.precondition_uid.empty() || !options.precondition_resource_version.empty()) {
    rapidjson::Value preconditions(rapidjson::kObjectType);
    if (!options.precondition_uid.empty()) {
      preconditions.AddMember("uid", rapidjson::Value(options.precondition_uid.c_str(), a), a);
    }
    if (!options.precondition_resource_version.empty()) {
      preconditions.AddMember(
          "resourceVersion", rapidjson::Value(options.precondition_resource_version.c_str(), a), a);
    }
    body.AddMember("preconditions", preconditions, a);
  }
  if (!options.propagation_policy.empty()) {
    body.AddMember("propagationPolicy", rapidjson::Value(options.propagation_policy.c_str(), a), a);
  }
  if (options.dry_run) {
    rapidjson::Value dry_run(rapidjson::kArrayType);
    dry_run.PushBack("All", a);
    body.AddMember("dryRun", dry_run, a);
  }
  RestRequest request{.method = "DELETE",
                      .path = ResourcePath(mapping, namespace_name, name),
                      .body = ToJson(body)};
  if (options.dry_run) request.query.emplace_back("dryRun", "All");
  return DoJson(request);
}

}  // namespace mm::kubeapi
