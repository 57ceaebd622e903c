// Google Benchmark: render + plan one Mattermost installation, the unit of work of a client-side
// reconcile (target < 50 us, so 1,000 installations cost well under 100 ms of CPU).
// Built by the default build, never run by ctest: `scripts/bench core`.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <list>

#include "core/json_builder.h"
#include "core/last_applied.h"
#include "core/mattermost/children.h"
#include "core/mattermost/defaults.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/reconcile.h"
#include "core/yaml.h"

namespace mm {
namespace {

constexpr char kInstallation[] = R"(
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata: {name: chat, namespace: team-a, uid: 5f0c7b9e-0000-4000-8000-000000000001, generation: 3}
spec:
  size: 5000users
  version: 10.8.1
  licenseSecret: license
  ingress: {enabled: true, host: chat.example.com, tlsSecret: chat-tls, ingressClass: nginx}
  database: {external: {secret: db}}
  fileStore: {external: {url: s3.amazonaws.com, bucket: chat, secret: s3}}
  mattermostEnv: [{name: MM_FILESETTINGS_AMAZONS3SSE, value: "true"}]
  podTemplate: {extraLabels: {team: a}}
)";

rapidjson::Document Input() {
  auto documents = ParseYamlDocuments(kInstallation, "benchmark");
  return std::move((*documents)[0]);
}

// glibc returns freed heap to the OS above 128 KiB and page-faults it back on the next
// installation; a long-running reconciler keeps it (what the second variant measures, and what
// the engine's main should set with mallopt).
void SetMallocKeepsMemory(bool keep) {
  mallopt(M_TRIM_THRESHOLD, keep ? 64 << 20 : 128 << 10);
  mallopt(M_TOP_PAD, keep ? 16 << 20 : 0);
}

// The steady-state cluster: what yesterday's reconcile wrote (objects with their last-applied
// records, which every comparison decodes).
struct SteadyState {
  Mattermost mattermost = *DefaultedMattermost(*ParseMattermost(Input()));
  DesiredState desired = *BuildChildren(mattermost, {});
  Plan written = Reconcile(mattermost, desired, {});
  ObservedState observed = [this] {
    ObservedState observed;
    for (const Action& action : written.actions) {
      if (action.object) observed.objects[ObjectKey(action.kind, action.name)] = &*action.object;
    }
    return observed;
  }();
};

// One installation: parse the resource, default it, build its children, plan against a cluster
// where everything already exists (the steady state). Argument 1 = keep freed heap.
void RenderAndPlan(benchmark::State& state) {
  SetMallocKeepsMemory(state.range(0) == 1);
  rapidjson::Document input = Input();
  ClusterFacts facts;
  SteadyState cluster;
  for (auto _ : state) {
    rapidjson::Document copy;
    copy.CopyFrom(input, copy.GetAllocator());
    auto mattermost = DefaultedMattermost(*ParseMattermost(std::move(copy)));
    auto desired = BuildChildren(*mattermost, facts);
    Plan plan = Reconcile(*mattermost, *desired, cluster.observed);
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(RenderAndPlan)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// The stages alone, to see where the time goes.
void ParseAndDefault(benchmark::State& state) {
  SetMallocKeepsMemory(false);
  rapidjson::Document input = Input();
  for (auto _ : state) {
    rapidjson::Document copy;
    copy.CopyFrom(input, copy.GetAllocator());
    auto mattermost = DefaultedMattermost(*ParseMattermost(std::move(copy)));
    benchmark::DoNotOptimize(mattermost);
  }
}
BENCHMARK(ParseAndDefault)->Unit(benchmark::kMicrosecond);

// Reconcile alone against the steady-state cluster (every comparison reads a last-applied record).
void PlanOnly(benchmark::State& state) {
  SetMallocKeepsMemory(false);
  SteadyState cluster;
  for (auto _ : state) {
    Plan plan = Reconcile(cluster.mattermost, cluster.desired, cluster.observed);
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(PlanOnly)->Unit(benchmark::kMicrosecond);

// Reading the Deployment's last-applied record: base64, unzip, parse.
void ReadDeploymentRecord(benchmark::State& state) {
  SetMallocKeepsMemory(false);
  SteadyState cluster;
  const rapidjson::Value* deployment = cluster.observed.objects.at("Deployment/chat");
  for (auto _ : state) {
    auto record = ReadLastApplied(*deployment);
    benchmark::DoNotOptimize(record);
  }
}
BENCHMARK(ReadDeploymentRecord)->Unit(benchmark::kMicrosecond);

void BuildChildrenOnly(benchmark::State& state) {
  SetMallocKeepsMemory(false);
  auto mattermost = DefaultedMattermost(*ParseMattermost(Input()));
  for (auto _ : state) {
    auto desired = BuildChildren(*mattermost, {});
    benchmark::DoNotOptimize(desired);
  }
}
BENCHMARK(BuildChildrenOnly)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mm

BENCHMARK_MAIN();
