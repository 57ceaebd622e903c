#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>

#include "core/result.h"
#include "tests/sandbox/auth.h"
#include "tests/sandbox/faults.h"
#include "tests/sandbox/http_types.h"
#include "tests/sandbox/json_text_cache.h"
#include "tests/sandbox/pod_streams.h"
#include "tests/sandbox/resources.h"
#include "tests/sandbox/store.h"
#include "tests/sandbox/table.h"

namespace sandbox {

struct ServerConfig {
  int version_minor = 32;       // /version's minor (the kubectl dispatcher picks by it)
  size_t watch_window = 10000;  // events kept for watch resume; older RVs get 410
  std::chrono::milliseconds bookmark_interval{5000};
  std::string address = "127.0.0.1:6443";  // for /api serverAddressByClientCIDRs
  // The seeded nodes' cpu and memory (capacity = allocatable); "" keeps 4 cores and ~16 GiB.
  std::string node_cpu;
  std::string node_memory;
  int node_pods = 0;  // pod slots of each seeded node; 0 keeps a kubelet's default, 110
  // The wall clock (tests pin it).
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
};

// The Kubernetes REST API as plain C++: routing, authentication/authorization, discovery,
// OpenAPI, storage semantics, patches, server-side apply, watch and Tables. Handle() never
// throws for bad input; every failure is a Status body. Single-threaded.
class ApiServer {
 public:
  explicit ApiServer(ServerConfig config);

  Authorizer& authorizer() { return authorizer_; }
  Store& store() { return store_; }
  // Injected faults (--fault flags, /sandbox/faults).
  FaultInjector& faults() { return faults_; }
  const Registry& registry() const { return registry_; }
  // Who answers pods/log (the simulated kubelet); not owned, may be null.
  void set_pod_streams(PodStreams* streams) { pod_streams_ = streams; }
  // Extra members of /sandbox/metrics ("name":value,... without braces), from whoever runs the
  // streams; called with true when the metrics are being reset (DELETE).
  void set_stream_metrics(std::function<std::string(bool reset)> metrics) {
    stream_metrics_ = std::move(metrics);
  }

  // Answers one request (a streaming response for watches).
  Response Handle(const Request& request);

  // Creates what a fresh cluster has: namespaces default/kube-system/kube-public/
  // kube-node-lease (with their default service accounts) and three ready nodes.
  void Seed();
  // Writes every object and the resourceVersion counter to `path` (atomically via rename).
  mm::Result<void> SaveSnapshot(const std::string& path) const;
  // Loads a snapshot written by SaveSnapshot (CRDs are served again). Fails on a bad file.
  mm::Result<void> LoadSnapshot(const std::string& path);

 private:
  struct Call;

  Response Route(Call& call);
  Response NonResource(Call& call);
  Response Discovery(Call& call);
  Response OpenApi(Call& call);
  mm::Result<Response> ResourceRequest(Call& call);
  mm::Result<Response> Review(Call& call);

  // rest_read.cc
  mm::Result<Response> Get(Call& call);
  mm::Result<Response> List(Call& call);
  mm::Result<Response> Watch(Call& call);
  // rest_write.cc
  mm::Result<Response> Create(Call& call);
  mm::Result<Response> Update(Call& call);
  mm::Result<Response> Patch(Call& call);
  mm::Result<Response> Delete(Call& call);
  mm::Result<Response> DeleteCollection(Call& call);

  // lifecycle.cc: the write pipeline shared by create/update/patch/apply.
  mm::Result<rapidjson::Document> ParseBody(const Call& call) const;
  mm::Result<void> CheckIdentity(const Call& call, rapidjson::Document& object) const;
  // Prunes and validates a custom object against its schema; with `whole_object` also the
  // name and per-kind rules (off for a partial server-side apply configuration).
  mm::Result<void> Admit(const Call& call, rapidjson::Document& object, const Json* old,
                         std::vector<std::string>& warnings, bool whole_object = true);
  mm::Result<ObjectPtr> CommitCreate(const Call& call, rapidjson::Document object,
                                     bool record_fields);
  mm::Result<ObjectPtr> CommitUpdate(const Call& call, const ObjectPtr& old,
                                     rapidjson::Document object, bool record_fields);
  // Deletes (or marks for deletion) one object per the DeleteOptions; returns the final state.
  ObjectPtr DeleteObject(const ResourceType& type, const ObjectPtr& object,
                         const std::string& propagation);
  void CollectGarbage(const std::string& owner_uid, const std::string& propagation);
  void FinishNamespace(const std::string& ns);
  void AfterCommit(const ResourceType& type, const ObjectPtr& before, const ObjectPtr& after);
  ObjectPtr Persist(const ResourceType& type, rapidjson::Document object);

  // Output helpers.
  // Carries out the fault decided for `call` on its response (cuts, delays, broken streams).
  void InjectFault(const Call& call, Response& response) const;
  Response ObjectResponse(const Call& call, const Json& object, int code) const;
  std::string Present(const Call& call, const Json& object) const;
  // Appends Present(call, *object) to `out`, from json_text_ when no conversion is needed.
  void AppendPresented(const Call& call, const ObjectPtr& object, std::string& out);
  std::string NewUid();
  std::string Now() const;
  std::string Manager(const Call& call) const;

  ServerConfig config_;
  Registry registry_;
  Store store_;
  Authorizer authorizer_;
  std::mt19937_64 random_;
  // Discovery/OpenAPI documents, rebuilt when the registry changes.
  std::map<std::string, std::string> doc_cache_;
  uint64_t doc_cache_generation_ = 0;
  // Request counts for /sandbox/metrics: resource -> verb -> count.
  std::map<std::string, std::map<std::string, uint64_t>> metrics_;
  uint64_t requests_ = 0;
  std::function<std::string(bool reset)> stream_metrics_;
  std::set<std::string> finishing_namespaces_;  // guards FinishNamespace re-entry
  PodStreams* pod_streams_ = nullptr;
  FaultInjector faults_;
  JsonTextCache json_text_;  // the serialized form of stored objects, for lists
};

}  // namespace sandbox
