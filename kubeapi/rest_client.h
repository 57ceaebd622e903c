#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "kubeapi/http.h"
#include "kubeapi/resource.h"

namespace mm::kubeapi {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// One request relative to the server URL.
struct RestRequest {
  std::string method = "GET";
  std::string path;  // "/api/v1/namespaces/default/pods"
  QueryParams query;
  std::string body;
  std::string content_type;  // set when body is non-empty; default application/json
  std::string accept;        // default application/json
  bool streaming = false;    // no request timeout from --request-timeout (watch, follow logs)
  std::chrono::milliseconds timeout{0};           // overrides the request timeout when non-zero
  std::function<bool(std::string_view)> on_body;  // see HttpRequest::on_body
  const CancellationToken* cancel = nullptr;
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 500;  // page size, as kubectl's --chunk-size
  std::string resource_version;
};

struct WriteOptions {
  bool dry_run = false;          // ?dryRun=All
  std::string field_manager;     // ?fieldManager=
  std::string field_validation;  // ?fieldValidation=Strict|Warn|Ignore; "" = server default
};

enum class PatchType { kJson, kMerge, kStrategic };

struct ApplyOptions {
  std::string field_manager = "kubectl-mattermost";
  bool force = false;
  bool dry_run = false;
};

struct DeleteOptions {
  std::string propagation_policy;  // Background, Foreground, Orphan; "" = server default
  std::optional<int64_t> grace_period_seconds;
  std::string precondition_uid;
  std::string precondition_resource_version;
  bool dry_run = false;
};

// What a server-side apply answered.
struct ApplyOutcome {
  rapidjson::Document object;  // the object as stored (as it would be, for a dry run)
  bool created = false;        // 201 Created: the object did not exist before
};

// A list parsed in place (ParseJsonInPlace): the document's strings point into `body`, so the
// two are kept together, and neither moves once parsed (hold it by pointer).
struct InPlaceList {
  std::string body;
  rapidjson::Document document;
};

// Returns "/api/v1" or "/apis/<group>/<version>", then "/namespaces/<ns>" for namespaced
// resources when `namespace_name` is non-empty, then "/<resource>[/<name>[/<subresource>]]".
std::string ResourcePath(const ResourceMapping& mapping, const std::string& namespace_name,
                         const std::string& name = "", const std::string& subresource = "");

// Typed access to the API server over a Transport (client-go's RESTClient + dynamic client).
// Every call returns the server's object as JSON, a kApi error carrying the server's Status for
// non-2xx answers, or kTransport/kInterrupted when no answer came. Objects passed in are not
// modified. Thread-safe when the transport is.
class RestClient {
 public:
  // `transport` must outlive the client. A non-zero `request_timeout` is sent as ?timeout= and
  // bounds each non-streaming request, as kubectl's --request-timeout. `cancel` (borrowed, may
  // be null) ends every request that carries no token of its own (kInterrupted): Ctrl-C.
  RestClient(Transport& transport, std::string server, std::chrono::milliseconds request_timeout,
             const CancellationToken* cancel = nullptr);

  // Sends `request`; returns the 2xx response.
  Result<HttpResponse> Do(const RestRequest& request);
  // Sends `request` and parses the 2xx body as JSON.
  Result<rapidjson::Document> DoJson(const RestRequest& request);

  Result<rapidjson::Document> Get(const ResourceMapping& mapping, const std::string& namespace_name,
                                  const std::string& name, const std::string& subresource = "");
  // Lists every page (following metadata.continue) and returns one list whose items are all the
  // items, each with apiVersion and kind filled in, and whose metadata.resourceVersion is the
  // last page's.
  Result<rapidjson::Document> List(const ResourceMapping& mapping,
                                   const std::string& namespace_name, const ListOptions& options);
  // List, for big lists read once: the one page is parsed where it arrived instead of being
  // copied into the document (about half the work). With several pages it falls back to List.
  Result<std::shared_ptr<const InPlaceList>> ListInPlace(const ResourceMapping& mapping,
                                                         const std::string& namespace_name,
                                                         const ListOptions& options);
  Result<rapidjson::Document> Create(const ResourceMapping& mapping,
                                     const std::string& namespace_name,
                                     const rapidjson::Value& object, const WriteOptions& options);
  // PUT of the whole object (metadata.name names it); `subresource` "status" or "scale".
  Result<rapidjson::Document> Update(const ResourceMapping& mapping,
                                     const std::string& namespace_name,
                                     const rapidjson::Value& object, const WriteOptions& options,
                                     const std::string& subresource = "");
  Result<rapidjson::Document> Patch(const ResourceMapping& mapping,
                                    const std::string& namespace_name, const std::string& name,
                                    PatchType type, const std::string& patch,
                                    const WriteOptions& options,
                                    const std::string& subresource = "");
  // Server-side apply of `object` (application/apply-patch+yaml; the body is JSON).
  Result<rapidjson::Document> Apply(const ResourceMapping& mapping,
                                    const std::string& namespace_name,
                                    const rapidjson::Value& object, const ApplyOptions& options);
  // Apply, also telling whether it created the object (one request, no GET before).
  Result<ApplyOutcome> ApplyWithOutcome(const ResourceMapping& mapping,
                                        const std::string& namespace_name,
                                        const rapidjson::Value& object,
                                        const ApplyOptions& options);
  Result<rapidjson::Document> Delete(const ResourceMapping& mapping,
                                     const std::string& namespace_name, const std::string& name,
                                     const DeleteOptions& options);

  const std::string& server() const { return server_; }

 private:
  Transport& transport_;
  std::string server_;
  std::chrono::milliseconds request_timeout_;
  const CancellationToken* cancel_;
};

// Returns the Go duration spelling kubectl sends in ?timeout= ("32s", "1m30s", "500ms").
std::string GoDurationString(std::chrono::milliseconds duration);

}  // namespace mm::kubeapi
