// Google Benchmark: render + plan one Mattermost installation, the unit of work of a client-side
// reconcile (target < 50 us, so 1,000 installations cost well under 100 ms of CPU).
// Built by the default build, never run by ctest: `scripts/bench core`.
//
// The cluster every plan compares with is what our own reconcile leaves behind: the children
// server-side applied to an in-process sandbox API server and read back (AppliedCluster), so the
// live objects carry our last-applied records and the server's fields. Cases:
//   Render                 parse + default + build the children (no cluster)
//   PlanUnchanged          plan against the cluster as written: the steady state, what every
//                          installation costs on every pass (no actions)
//   PlanOneChange          plan after one spec change (an env var value): one Deployment update
//   RenderAndPlanUnchanged render + steady plan: the figure the target is about
#include <benchmark/benchmark.h>
#include <malloc.h>

#include "core/last_applied.h"
#include "core/mattermost/children.h"
#include "core/mattermost/defaults.h"
#include "core/mattermost/parse.h"
#include "core/mattermost/reconcile.h"
#include "core/yaml.h"
#include "tests/core/applied_cluster.h"

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
  mattermostEnv: [{name: MM_FILESETTINGS_AMAZONS3SSE, value: "SSE_VALUE"}]
  podTemplate: {extraLabels: {team: a}}
)";

rapidjson::Document Input(const std::string& sse = "true") {
  std::string text = kInstallation;
  text.replace(text.find("SSE_VALUE"), 9, sse);
  auto documents = ParseYamlDocuments(text, "benchmark");
  return std::move((*documents)[0]);
}

// glibc returns freed heap to the OS above 128 KiB and page-faults it back on the next
// installation; a long-running reconciler keeps it (what the `/1` variants measure, and what the
// engine's main should set with mallopt).
void SetMallocKeepsMemory(bool keep) {
  mallopt(M_TRIM_THRESHOLD, keep ? 64 << 20 : 128 << 10);
  mallopt(M_TOP_PAD, keep ? 16 << 20 : 0);
}

struct Rendered {
  Mattermost mattermost;
  DesiredState desired;
};

Rendered Render(const std::string& sse = "true") {
  Mattermost mattermost = *DefaultedMattermost(*ParseMattermost(Input(sse)));
  DesiredState desired = *BuildChildren(mattermost, {});
  return {std::move(mattermost), std::move(desired)};
}

// The steady-state cluster: the children as our reconcile of Input() wrote them, built once.
const bench::AppliedCluster& Cluster() {
  static const bench::AppliedCluster cluster = [] {
    Rendered rendered = Render();
    auto applied = bench::AppliedCluster::Apply(
        rendered.mattermost.namespace_, Reconcile(rendered.mattermost, rendered.desired, {}));
    if (!applied) {
      fprintf(stderr, "error: %s\n", applied.error().message().c_str());
      std::exit(1);
    }
    return std::move(*applied);
  }();
  return cluster;
}

// Skips the case unless planning `rendered` against the cluster yields `updates` updates and
// nothing else: a benchmark of a plan that does not do what its name says measures nothing.
bool PlanIs(benchmark::State& state, const Rendered& rendered, size_t updates) {
  Plan plan = Reconcile(rendered.mattermost, rendered.desired, Cluster().observed());
  size_t found = 0;
  for (const Action& action : plan.actions) found += action.type == ActionType::kUpdate ? 1 : 0;
  if (found == updates && plan.actions.size() == updates && plan.error.empty()) return true;
  std::string first =
      plan.actions.empty() ? plan.error : plan.actions[0].kind + " " + plan.actions[0].reason;
  state.SkipWithError(("unexpected plan: " + first).c_str());
  return false;
}

void Render(benchmark::State& state) {
  SetMallocKeepsMemory(state.range(0) == 1);
  rapidjson::Document input = Input();
  for (auto _ : state) {
    rapidjson::Document copy;
    copy.CopyFrom(input, copy.GetAllocator());
    auto mattermost = DefaultedMattermost(*ParseMattermost(std::move(copy)));
    auto desired = BuildChildren(*mattermost, {});
    benchmark::DoNotOptimize(desired);
  }
}
BENCHMARK(Render)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void PlanUnchanged(benchmark::State& state) {
  SetMallocKeepsMemory(state.range(0) == 1);
  Rendered rendered = Render();
  if (!PlanIs(state, rendered, 0)) return;
  for (auto _ : state) {
    Plan plan = Reconcile(rendered.mattermost, rendered.desired, Cluster().observed());
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(PlanUnchanged)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void PlanOneChange(benchmark::State& state) {
  SetMallocKeepsMemory(state.range(0) == 1);
  Rendered rendered = Render("false");
  if (!PlanIs(state, rendered, 1)) return;
  for (auto _ : state) {
    Plan plan = Reconcile(rendered.mattermost, rendered.desired, Cluster().observed());
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(PlanOneChange)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// One installation of a reconcile pass: parse the resource, default it, build its children, plan
// against the cluster where everything is as we wrote it. Argument 1 = keep freed heap.
void RenderAndPlanUnchanged(benchmark::State& state) {
  SetMallocKeepsMemory(state.range(0) == 1);
  rapidjson::Document input = Input();
  if (!PlanIs(state, Render(), 0)) return;
  for (auto _ : state) {
    rapidjson::Document copy;
    copy.CopyFrom(input, copy.GetAllocator());
    auto mattermost = DefaultedMattermost(*ParseMattermost(std::move(copy)));
    auto desired = BuildChildren(*mattermost, {});
    Plan plan = Reconcile(*mattermost, *desired, Cluster().observed());
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(RenderAndPlanUnchanged)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// Reading the live Deployment's last-applied record: base64, unzip, parse.
void ReadDeploymentRecord(benchmark::State& state) {
  SetMallocKeepsMemory(false);
  const rapidjson::Value* deployment = Cluster().observed().objects.at("Deployment/chat");
  for (auto _ : state) {
    auto record = ReadLastApplied(*deployment);
    benchmark::DoNotOptimize(record);
  }
}
BENCHMARK(ReadDeploymentRecord)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace mm

BENCHMARK_MAIN();
