#include "core/mattermost/probes.h"

#include "core/json.h"

namespace mm {
namespace {

struct ProbeNumbers {
  int64_t initial_delay;
  int64_t period;
  int64_t failure;
};

int64_t NumberOr(const rapidjson::Value* user, const char* key, int64_t fallback) {
  if (user == nullptr) return fallback;
  const rapidjson::Value* value = FindMember(*user, key);
  if (value == nullptr || !value->IsInt64() || value->GetInt64() == 0) return fallback;
  return value->GetInt64();
}

Json Probe(const rapidjson::Value* user, ProbeNumbers defaults) {
  static const char* kHandlers[] = {"exec", "httpGet", "tcpSocket", "grpc"};
  bool custom_handler = false;
  std::vector<Json::Member> members;
  for (const char* handler : kHandlers) {
    const rapidjson::Value* value = user == nullptr ? nullptr : FindMember(*user, handler);
    if (value != nullptr && !value->IsNull()) {
      custom_handler = true;
      members.emplace_back(std::string_view(handler), Json::Copy(value));
    }
  }
  if (!custom_handler) {
    members.emplace_back("httpGet",
                         Json::Object({{"path", "/api/v4/system/ping"}, {"port", 8065}}));
  }
  members.emplace_back("initialDelaySeconds",
                       NumberOr(user, "initialDelaySeconds", defaults.initial_delay));
  int64_t timeout = NumberOr(user, "timeoutSeconds", 0);
  members.emplace_back("timeoutSeconds", Json::If(timeout != 0, timeout));
  members.emplace_back("periodSeconds", NumberOr(user, "periodSeconds", defaults.period));
  int64_t success = NumberOr(user, "successThreshold", 0);
  members.emplace_back("successThreshold", Json::If(success != 0, success));
  members.emplace_back("failureThreshold", NumberOr(user, "failureThreshold", defaults.failure));
  return Json::Object(std::move(members));
}

}  // namespace

Json LivenessProbe(const rapidjson::Value* user) { return Probe(user, {10, 10, 3}); }

Json ReadinessProbe(const rapidjson::Value* user) { return Probe(user, {10, 5, 6}); }

}  // namespace mm
