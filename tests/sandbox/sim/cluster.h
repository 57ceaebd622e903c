#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/sandbox/api_server.h"
#include "tests/sandbox/pod_streams.h"
#include "tests/sandbox/sim/images.h"
#include "tests/sandbox/sim/pod_logs.h"
#include "tests/sandbox/sim/remote_process.h"
#include "tests/sandbox/sim/scheduler.h"
#include "tests/sandbox/sim/timers.h"
#include "tests/sandbox/sim/workload_ports.h"

namespace sandbox::sim {

struct StreamOptions;  // ws_remote_command.h

struct SimConfig {
  // How long a started container takes to become Ready (or, for a job, to finish).
  std::chrono::milliseconds pod_ready_delay{200};
  std::function<TimePoint()> clock = [] { return std::chrono::system_clock::now(); };
  uint64_t seed = 1;  // generated pod names
  // How long the kubelet waits for a SPDY client to open the streams of an exec/attach or of a
  // forwarded connection (its default is 30 s).
  std::chrono::milliseconds stream_creation_timeout{30000};
  // Whether WebSocket exec and attach accept v5.channel.k8s.io (false: v4 and older only, as
  // older API servers).
  bool exec_v5 = true;
  // How long a WebSocket exec or attach takes to reach the kubelet: its output follows the
  // streams' announcement this much later (ws_remote_command.h says why it matters).
  std::chrono::milliseconds remote_command_latency{200};
};

// One simulated container of a pod, as the kubelet tracks it.
struct ContainerRun {
  std::string name;
  std::string image;
  Behaviour behaviour;
  enum class State { kWaiting, kRunning, kTerminated } state = State::kWaiting;
  std::string reason = "ContainerCreating";  // waiting/terminated reason
  int exit_code = 0;
  int restarts = 0;
  bool ready = false;
  std::string started_at, finished_at;
  // The previous run's termination (for lastState).
  int last_exit_code = -1;
  std::string last_started_at, last_finished_at, last_reason;
};

// One simulated pod: its containers and the times its conditions last changed.
struct PodRun {
  std::string ns, name, uid, node, pod_ip, host_ip;
  std::string restart_policy = "Always";
  std::vector<ContainerRun> init, main;
  std::string phase = "Pending";
  std::string start_time;
  std::map<std::string, std::pair<std::string, std::string>> conditions;  // type -> status, time
};

// The integer at dotted `path` of `object`, or `fallback`.
int IntAt(const Json& object, std::string_view path, int fallback = 0);
// Whether the pod's Ready condition is True.
bool PodReady(const Json& pod);
// Whether the pod still counts for its controller: not deleted, not Succeeded or Failed.
bool PodActive(const Json& pod);

// Sets metadata.ownerReferences to one controller reference to `owner` (kind, apiVersion and
// metadata set).
void SetControllerRef(Json& metadata, const Json& owner, Alloc& alloc);

// The container a pods/log or pods/exec request names: `requested` when the pod has it (or an
// init container of that name), else the pod's only container. Fails with kube-apiserver's 400
// ("a container name must be specified for pod web, choose one of: [a b]", "container x is not
// valid for pod web").
mm::Result<std::string> PickContainer(const Json& pod, const std::string& requested);

// A pod for `owner` (a ReplicaSet or Job, kind and apiVersion set) from its spec.template, named
// `name`, with `extra_labels` (an object, may be null) added and a controller ownerReference.
rapidjson::Document PodFromTemplate(const Json& owner, const std::string& name,
                                    const Json* extra_labels);

// A small live cluster inside the sandbox: deployment, replica set and job controllers, a
// scheduler and a kubelet whose containers behave per their image (README's table), with logs and
// v1 Events. It watches the store through EventListener and writes through ApiServer::Handle as
// kube-controller-manager would; all work runs later on `timers`, never inside a store callback.
class Cluster : public EventListener, public PodStreams {
 public:
  // Subscribes to the store; `api` and `timers` must outlive the cluster.
  Cluster(ApiServer& api, Timers& timers, SimConfig config);
  ~Cluster() override;
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Queues every existing deployment, replica set, job and pod (after loading a snapshot).
  void Resync();

  void OnEvent(const Event& event) override;
  mm::Result<Response> Log(const Json& pod, const Request& request) override;
  // remote_commands.cc: exec and attach (WebSocket or SPDY) into running simulated containers.
  mm::Result<Response> Exec(const Json& pod, const Request& request) override;
  mm::Result<Response> Attach(const Json& pod, const Request& request) override;
  // pod_sessions.cc: port-forward (WebSocket, SPDY) to the ports running containers serve.
  mm::Result<Response> PortForward(const Json& pod, const Request& request) override;

  // Where port-forwards connect (not owned; null = every port refuses). The cluster resets a
  // pod's connections when the pod is deleted.
  void set_workload_ports(WorkloadPorts* ports) { workload_ports_ = ports; }
  WorkloadPorts* workload_ports() const { return workload_ports_; }
  // The simulated pod behind `pod` (same uid), or nullptr when the kubelet does not run it.
  const PodRun* FindRun(const Json& pod) const;
  // Where a connection to `port` of `run` goes: a running container serving it, else the
  // kubelet's error text (connection refused).
  mm::Result<PortTarget> ResolvePort(const PodRun& run, uint16_t port) const;

 private:
  // remote_commands.cc: the running main container `name` of `pod`, or nullptr.
  const ContainerRun* RunningContainer(const Json& pod, const std::string& name) const;
  // The 101 answer running `process` over the request's transport (WebSocket channels or a raw
  // SPDY/3.1 upgrade); `key` ("uid/container") lets KillProcesses find it.
  mm::Result<Response> RemoteCommand(const Request& request, const StreamOptions& options,
                                     std::shared_ptr<RemoteProcess> process,
                                     const std::string& key);
  // The exec and attach sessions of one container of pod `uid` (of all its containers when
  // `container` is empty) end: their container stopped or the pod is gone.
  void KillProcesses(const std::string& uid, const std::string& container);
  // pods/portforward over SPDY/3.1 for kubectl (sim/spdy_port_forward.h): raw (`raw` = the
  // upgrade was to SPDY/3.1) or tunnelled in a WebSocket (SPDY/3.1+portforward.k8s.io).
  mm::Result<Response> PortForwardSpdy(const Json& pod, const Request& request, bool raw);
  // An internal API call as the controller manager; returns the response (logged when >= 400).
  Response Call(const std::string& method, const std::string& path, const std::string& body);
  ObjectPtr Create(const std::string& path, const Json& object);
  void PutStatus(const std::string& path, const Json& object);
  void Enqueue(const std::string& kind, const std::string& key);
  void Drain();
  // Objects of `storage_id` in `ns` controlled by `owner_uid`.
  std::vector<ObjectPtr> Owned(const std::string& storage_id, const std::string& ns,
                               const std::string& owner_uid) const;
  std::string Now() const;
  std::string RandomSuffix();
  // events.cc: a v1 Event about `object` (fieldPath for a container, may be "").
  void Record(const Json& object, const std::string& type, const std::string& reason,
              const std::string& message, const std::string& field_path = "",
              const std::string& component = "");

  // deployment_controller.cc
  void SyncDeployment(const std::string& key);
  ObjectPtr NewReplicaSet(const Json& deployment, const std::string& hash, int revision,
                          int replicas);
  void ScaleReplicaSet(const Json& deployment, const ObjectPtr& rs, int replicas);
  // Sets the Deployment's deployment.kubernetes.io/revision annotation to `revision` when it
  // differs. Returns the Deployment as stored afterwards (null when it is gone).
  ObjectPtr RecordDeploymentRevision(const std::string& key, int revision);
  void WriteDeploymentStatus(const Json& deployment, const std::vector<ObjectPtr>& sets,
                             const std::string& new_name, bool created);
  // replicaset_controller.cc
  void SyncReplicaSet(const std::string& key);
  // statefulset_controller.cc
  void SyncStatefulSet(const std::string& key);
  // job_controller.cc
  void SyncJob(const std::string& key);
  // volume_binder.cc: binds a claim that has no phase yet (provisioning a volume when it names
  // none), as kube-controller-manager with a default StorageClass does.
  void SyncClaim(const std::string& key);
  // Whether a replacement for the job's `failed` pods may be created now; if not, the job is
  // synced again when its back-off ends.
  bool ReplacementDue(const std::string& uid, int failed, const std::string& key);
  // kubelet.cc
  void OnPodEvent(const Event& event);
  void SchedulePod(PodRun& run);
  // scheduler.cc: node choice (round robin among the nodes the pod fits), and pods that fit
  // nowhere: Pending with PodScheduled False (Unschedulable) and a FailedScheduling event, tried
  // again when a pod is deleted or finishes, or a node changes.
  Placement PlaceOnNode(const Json& pod, const std::vector<ObjectPtr>& nodes);
  void MarkUnschedulable(PodRun& run, const Json& pod, const std::string& message);
  void RetryUnschedulable();
  void StartPod(PodRun& run);
  void AdvancePod(PodRun& run);
  void RestartContainer(PodRun& run, size_t index);
  void StartContainer(PodRun& run, ContainerRun& c);
  void TerminateContainer(PodRun& run, ContainerRun& c, int exit_code);
  void WritePodStatus(PodRun& run);
  void SetPodCondition(PodRun& run, const std::string& type, bool status);
  // Runs `step` on the pod after `delay` unless it was deleted (or replaced) meanwhile.
  void Later(std::chrono::milliseconds delay, const PodRun& run,
             void (Cluster::*step)(PodRun& run));

  ApiServer& api_;
  Timers& timers_;
  SimConfig config_;
  std::mt19937_64 random_;
  LogStore logs_;
  std::set<std::pair<std::string, std::string>> dirty_;  // kind, key
  bool drain_scheduled_ = false;
  std::map<std::string, PodRun> pods_;  // by ns/name
  struct JobBackoff {
    int failures = 0;
    TimePoint not_before;
  };
  std::map<std::string, JobBackoff> job_backoff_;  // by job uid
  int next_node_ = 0;
  std::map<std::string, std::string> unschedulable_;  // pod key -> last FailedScheduling message
  int next_ip_ = 10;
  WorkloadPorts* workload_ports_ = nullptr;
  std::multimap<std::string, std::weak_ptr<RemoteProcess>> processes_;  // by "uid/container"
};

}  // namespace sandbox::sim
