#include "tests/sandbox/sim/rollout.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace sandbox::sim {

int ResolveIntOrPercent(const Json* value, int total, bool round_up, int fallback_percent) {
  if (value != nullptr && value->IsInt()) return std::max(0, value->GetInt());
  double percent = fallback_percent;
  if (value != nullptr && value->IsString()) {
    std::string text = value->GetString();
    if (!text.empty() && text.back() == '%') {
      percent = std::atoi(text.substr(0, text.size() - 1).c_str());
    } else if (!text.empty()) {
      return std::max(0, std::atoi(text.c_str()));
    }
  }
  double scaled = percent * total / 100.0;
  return static_cast<int>(round_up ? std::ceil(scaled) : std::floor(scaled));
}

RolloutLimits LimitsOf(const Json& spec) {
  const Json* replicas = Member(spec, "replicas");
  int desired = replicas != nullptr && replicas->IsInt() ? replicas->GetInt() : 1;
  const Json* strategy = Member(spec, "strategy");
  bool recreate = strategy != nullptr && Str(*strategy, "type") == "Recreate";
  if (recreate || desired == 0) return {};
  const Json* rolling = strategy ? Member(*strategy, "rollingUpdate") : nullptr;
  RolloutLimits limits;
  limits.max_surge =
      ResolveIntOrPercent(rolling ? Member(*rolling, "maxSurge") : nullptr, desired, true, 25);
  limits.max_unavailable = ResolveIntOrPercent(
      rolling ? Member(*rolling, "maxUnavailable") : nullptr, desired, false, 25);
  if (limits.max_surge == 0 && limits.max_unavailable == 0) limits.max_unavailable = 1;
  limits.max_unavailable = std::min(limits.max_unavailable, desired);
  return limits;
}

std::string SafeEncode(std::string_view text) {
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (unsigned char c : text) out += kAlphabet[c % kAlphabet.size()];
  return out;
}

std::string PodTemplateHash(const Json& pod_template) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : Dump(pod_template)) {
    hash ^= c;
    hash *= 16777619u;
  }
  return SafeEncode(std::to_string(hash));
}

int NewReplicaSetTarget(int desired, const RolloutLimits& limits, int new_spec, int all_spec) {
  if (new_spec >= desired) return desired;
  int max_total = desired + limits.max_surge;
  if (all_spec >= max_total) return new_spec;
  return new_spec + std::min(max_total - all_spec, desired - new_spec);
}

std::vector<int> OldReplicaSetTargets(int desired, const RolloutLimits& limits,
                                      const ReplicaSetCounts& new_rs,
                                      const std::vector<ReplicaSetCounts>& old_rs) {
  std::vector<int> targets;
  int all_spec = new_rs.spec;
  int available = new_rs.available;
  for (const auto& rs : old_rs) {
    targets.push_back(rs.spec);
    all_spec += rs.spec;
    available += rs.available;
  }
  int min_available = desired - limits.max_unavailable;
  int new_unavailable = std::max(0, new_rs.spec - new_rs.available);
  // Unhealthy old replicas can go without lowering availability.
  int budget = all_spec - min_available - new_unavailable;
  if (budget <= 0) return targets;
  for (size_t i = 0; i < old_rs.size() && budget > 0; ++i) {
    int unhealthy = std::max(0, targets[i] - old_rs[i].available);
    int cut = std::min(budget, unhealthy);
    targets[i] -= cut;
    budget -= cut;
  }
  // Then available ones, down to the minimum availability.
  int scale_down = available - min_available;
  for (size_t i = 0; i < old_rs.size() && scale_down > 0; ++i) {
    int cut = std::min(targets[i], scale_down);
    targets[i] -= cut;
    scale_down -= cut;
  }
  return targets;
}

bool SetCondition(Json& conditions, const Condition& condition, const std::string& now,
                  const std::vector<std::string>& times, Alloc& alloc) {
  if (!conditions.IsArray()) conditions.SetArray();
  std::string transition = now;
  for (auto it = conditions.Begin(); it != conditions.End(); ++it) {
    if (Str(*it, "type") != condition.type) continue;
    if (Str(*it, "status") == condition.status && Str(*it, "reason") == condition.reason) {
      return false;
    }
    if (Str(*it, "status") == condition.status) transition = Str(*it, "lastTransitionTime");
    conditions.Erase(it);
    break;
  }
  Json entry(rapidjson::kObjectType);
  SetString(entry, "type", condition.type, alloc);
  SetString(entry, "status", condition.status, alloc);
  for (const std::string& field : times) {
    SetString(entry, field, field == "lastTransitionTime" ? transition : now, alloc);
  }
  SetString(entry, "reason", condition.reason, alloc);
  SetString(entry, "message", condition.message, alloc);
  conditions.PushBack(entry, alloc);
  return true;
}

const Json* FindCondition(const Json& object, std::string_view type) {
  const Json* conditions = AtPath(object, "status.conditions");
  if (conditions == nullptr || !conditions->IsArray()) return nullptr;
  for (const auto& c : conditions->GetArray()) {
    if (Str(c, "type") == type) return &c;
  }
  return nullptr;
}

}  // namespace sandbox::sim
