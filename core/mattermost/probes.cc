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
  std::vector<Json::Member> members;
  members.reserve(9);  // at most the four handlers and the five numbers
  for (const JsonKey& handler :
       {JsonKey("exec"), JsonKey("httpGet"), JsonKey("tcpSocket"), JsonKey("grpc")}) {
    const rapidjson::Value* value = user == nullptr ? nullptr : FindMember(*user, handler.view());
    if (value != nullptr && !value->IsNull()) members.push_back({handler, Json::Copy(value)});
  }
  if (members.empty()) {  // no handler of the user's
    members.push_back({"httpGet", Json::Object({{"path", "/api/v4/system/ping"}, {"port", 8065}})});
  }
  members.push_back(
      {"initialDelaySeconds", NumberOr(user, "initialDelaySeconds", defaults.initial_delay)});
  int64_t timeout = NumberOr(user, "timeoutSeconds", 0);
  members.push_back({"timeoutSeconds", Json::If(timeout != 0, timeout)});
  members.push_back({"periodSeconds", NumberOr(user, "periodSeconds", defaults.period)});
  int64_t success = NumberOr(user, "successThreshold", 0);
  members.push_back({"successThreshold", Json::If(success != 0, success)});
  members.push_back({"failureThreshold", NumberOr(user, "failureThreshold", defaults.failure)});
  return Json::Object(std::move(members));
}

}  // namespace

Json LivenessProbe(const rapidjson::Value* user) { return Probe(user, {10, 10, 3}); }

Json ReadinessProbe(const rapidjson::Value* user) { return Probe(user, {10, 5, 6}); }

}  // namespace mm
