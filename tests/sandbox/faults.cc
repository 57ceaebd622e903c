#include "tests/sandbox/faults.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <utility>

#include "core/json.h"
#include "tests/sandbox/json_util.h"
#include "tests/sandbox/status.h"

namespace sandbox {
namespace {

using Setting = std::pair<std::string, std::string>;

constexpr std::pair<FaultKind, std::string_view> kKindNames[] = {
    {FaultKind::kReset, "reset"},
    {FaultKind::kDropWatch, "drop-watch"},
    {FaultKind::kTooManyRequests, "429"},
    {FaultKind::kInternalError, "500"},
    {FaultKind::kServiceUnavailable, "503"},
    {FaultKind::kConflict, "conflict"},
    {FaultKind::kExpired, "expired"},
    {FaultKind::kLatency, "latency"},
    {FaultKind::kSlowTls, "slow-tls"},
    {FaultKind::kTruncate, "truncate"},
};

bool IsWrite(std::string_view verb) {
  return verb == "create" || verb == "update" || verb == "patch" || verb == "delete" ||
         verb == "deletecollection";
}

// Whether a rule of `kind` can act on a request of `verb` (only those count as matches).
bool Applies(FaultKind kind, std::string_view verb) {
  switch (kind) {
    case FaultKind::kConflict:
      return IsWrite(verb);
    case FaultKind::kDropWatch:
    case FaultKind::kExpired:
      return verb == "watch";
    case FaultKind::kSlowTls:
      return false;  // connections, not requests
    default:
      return true;
  }
}

mm::Result<uint64_t> ParseCount(const std::string& key, const std::string& value, bool positive) {
  uint64_t n = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || error != std::errc() || end != value.data() + value.size() ||
      (positive && n == 0)) {
    return mm::Error::Usage("fault rule: " + key + "=" + value + ": want a " +
                            (positive ? "positive" : "non-negative") + " integer");
  }
  return n;
}

mm::Result<FaultRule> BuildRule(std::string_view kind_name, const std::vector<Setting>& settings) {
  FaultRule rule;
  auto known = std::find_if(std::begin(kKindNames), std::end(kKindNames),
                            [&](const auto& entry) { return entry.second == kind_name; });
  if (known != std::end(kKindNames)) rule.kind = known->first;
  if (known == std::end(kKindNames)) {
    return mm::Error::Usage("fault rule: unknown kind \"" + std::string(kind_name) +
                            "\" (reset, drop-watch, 429, 500, 503, conflict, expired, latency, "
                            "slow-tls, truncate)");
  }
  int triggers = 0;
  for (const auto& [key, value] : settings) {
    if (key == "verb") {
      rule.verb = value;
    } else if (key == "resource") {
      rule.resource = value;
    } else if (key == "namespace") {
      rule.ns = value;
    } else if (key == "name") {
      rule.name = value;
    } else if (key == "next" || key == "every") {
      auto n = ParseCount(key, value, true);
      if (!n) return n.error();
      rule.trigger = key == "next" ? FaultTrigger::kNext : FaultTrigger::kEvery;
      rule.count = *n;
      ++triggers;
    } else if (key == "probability") {
      char* end = nullptr;
      rule.probability = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(rule.probability >= 0 && rule.probability <= 1)) {
        return mm::Error::Usage("fault rule: probability=" + value + ": want a number in [0, 1]");
      }
      rule.trigger = FaultTrigger::kProbability;
      ++triggers;
    } else if (key == "retryAfter" || key == "after" || key == "ms") {
      auto n = ParseCount(key, value, false);
      if (!n) return n.error();
      if (key == "retryAfter")
        rule.retry_after_seconds = static_cast<int>(std::min<uint64_t>(*n, 3600));
      if (key == "after") rule.after = *n;
      if (key == "ms") rule.delay = std::chrono::milliseconds(std::min<uint64_t>(*n, 600000));
    } else {
      return mm::Error::Usage("fault rule: unknown key \"" + key + "\"");
    }
  }
  if (triggers > 1) {
    return mm::Error::Usage("fault rule: give one of next, every or probability");
  }
  if (rule.kind == FaultKind::kSlowTls &&
      (rule.verb != "*" || rule.resource != "*" || !rule.ns.empty() || !rule.name.empty())) {
    return mm::Error::Usage(
        "fault rule: slow-tls acts on connections; it takes no verb, "
        "resource, namespace or name");
  }
  if ((rule.kind == FaultKind::kLatency || rule.kind == FaultKind::kSlowTls) &&
      rule.delay.count() == 0) {
    return mm::Error::Usage("fault rule: " + std::string(kind_name) + " needs ms=N");
  }
  return rule;
}

std::string RuleJson(const FaultRule& rule) {
  std::string out = R"({"kind":)" + Quote(FaultKindName(rule.kind)) + R"(,"verb":)" +
                    Quote(rule.verb) + R"(,"resource":)" + Quote(rule.resource);
  if (!rule.ns.empty()) out += R"(,"namespace":)" + Quote(rule.ns);
  if (!rule.name.empty()) out += R"(,"name":)" + Quote(rule.name);
  switch (rule.trigger) {
    case FaultTrigger::kNext:
      out += R"(,"next":)" + std::to_string(rule.count);
      break;
    case FaultTrigger::kEvery:
      out += R"(,"every":)" + std::to_string(rule.count);
      break;
    case FaultTrigger::kProbability:
      out += R"(,"probability":)" + std::to_string(rule.probability);
      break;
  }
  if (rule.retry_after_seconds >= 0) {
    out += R"(,"retryAfter":)" + std::to_string(rule.retry_after_seconds);
  }
  if (rule.after > 0) out += R"(,"after":)" + std::to_string(rule.after);
  if (rule.delay.count() > 0) out += R"(,"ms":)" + std::to_string(rule.delay.count());
  return out + R"(,"matched":)" + std::to_string(rule.matched) + R"(,"fired":)" +
         std::to_string(rule.fired) + "}";
}

// The Status a rule answers with instead of serving `target`, if it is that kind of fault.
std::optional<mm::ApiStatus> Answer(const FaultRule& rule, const FaultTarget& target) {
  int retry_after = rule.retry_after_seconds;
  std::optional<mm::ApiStatus> status;
  switch (rule.kind) {
    case FaultKind::kTooManyRequests:
      return TooManyRequests(retry_after < 0 ? 1 : retry_after);
    case FaultKind::kInternalError:
      status = Internal("injected by kube-sandbox");
      break;
    case FaultKind::kServiceUnavailable:
      status = ServiceUnavailable("the server is currently unable to handle the request");
      break;
    case FaultKind::kConflict:  // kube-apiserver names the resource without the subresource
      return StaleConflict(target.resource.substr(0, target.resource.find('/')), target.group,
                           target.name);
    default:
      return std::nullopt;
  }
  status->retry_after_seconds = std::max(retry_after, 0);
  return status;
}

}  // namespace

std::string_view FaultKindName(FaultKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "?";
}

mm::Result<FaultRule> ParseFaultRule(std::string_view text) {
  std::vector<Setting> settings;
  std::string_view kind = text.substr(0, text.find(','));
  size_t start = kind.size();
  while (start < text.size()) {
    size_t comma = text.find(',', start + 1);
    std::string_view item = text.substr(
        start + 1, comma == std::string_view::npos ? std::string_view::npos : comma - start - 1);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return mm::Error::Usage("fault rule: \"" + std::string(item) + "\" is not key=value");
    }
    settings.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    start = comma == std::string_view::npos ? text.size() : comma;
  }
  return BuildRule(kind, settings);
}

FaultInjector::FaultInjector(uint64_t seed, Logger log) : state_(seed), log_(std::move(log)) {
  if (!log_) log_ = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
}

void FaultInjector::Seed(uint64_t seed) { state_ = seed; }
void FaultInjector::Add(FaultRule rule) { rules_.push_back(std::move(rule)); }
void FaultInjector::Clear() { rules_.clear(); }

double FaultInjector::NextUnit() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

bool FaultInjector::Fires(FaultRule& rule) {
  ++rule.matched;
  bool fire = false;
  switch (rule.trigger) {
    case FaultTrigger::kNext:
      fire = rule.fired < rule.count;
      break;
    case FaultTrigger::kEvery:
      fire = rule.matched % rule.count == 0;
      break;
    case FaultTrigger::kProbability:
      fire = NextUnit() < rule.probability;
      break;
  }
  if (fire) ++rule.fired;
  return fire;
}

void FaultInjector::Log(const FaultRule& rule, size_t index, const std::string& where) const {
  log_("kube-sandbox: fault " + std::string(FaultKindName(rule.kind)) + " (rule " +
       std::to_string(index + 1) + ", fired " + std::to_string(rule.fired) + " of " +
       std::to_string(rule.matched) + " matched) on " + where);
}

std::optional<FaultAction> FaultInjector::Decide(const FaultTarget& target) {
  std::optional<FaultAction> action;
  for (size_t i = 0; i < rules_.size(); ++i) {
    FaultRule& rule = rules_[i];
    if (!Applies(rule.kind, target.verb)) continue;
    if ((rule.verb != "*" && rule.verb != target.verb) ||
        (rule.resource != "*" && rule.resource != target.resource) ||
        (!rule.ns.empty() && rule.ns != target.ns) ||
        (!rule.name.empty() && rule.name != target.name)) {
      continue;
    }
    if (action) {
      ++rule.matched;  // counted, but one fault per request: the first rule that fires wins
      continue;
    }
    if (!Fires(rule)) continue;
    action = FaultAction{.kind = rule.kind,
                         .answer = Answer(rule, target),
                         .delay = rule.delay,
                         .after = rule.after};
    Log(rule, i, target.verb + " " + target.method + " " + target.path);
  }
  return action;
}

std::chrono::milliseconds FaultInjector::HandshakeDelay() {
  for (size_t i = 0; i < rules_.size(); ++i) {
    FaultRule& rule = rules_[i];
    if (rule.kind != FaultKind::kSlowTls || !Fires(rule)) continue;
    Log(rule, i, "a TLS handshake (" + std::to_string(rule.delay.count()) + "ms)");
    return rule.delay;
  }
  return std::chrono::milliseconds(0);
}

std::string FaultInjector::ListJson() const {
  std::string out = R"({"rules":[)";
  for (size_t i = 0; i < rules_.size(); ++i) out += (i ? "," : "") + RuleJson(rules_[i]);
  return out + "]}";
}

std::pair<int, std::string> FaultInjector::Admin(std::string_view method, std::string_view body) {
  if (method == "DELETE") Clear();
  if (method == "GET" || method == "DELETE") return {200, ListJson()};
  if (method != "POST") return {405, StatusJson(MethodNotAllowed())};
  auto bad = [](const std::string& message) {
    return std::make_pair(400, StatusJson(BadRequest(message)));
  };
  auto doc = mm::ParseJson(body, "fault rules");
  if (!doc) return bad(doc.error().message());
  if (!doc->IsObject()) return bad("want {\"seed\": N, \"rules\": [...]}");
  const Json* list = Member(*doc, "rules");
  if (list != nullptr && !list->IsArray()) return bad("rules: want a list");
  std::vector<FaultRule> added;
  const Json empty(rapidjson::kArrayType);
  for (const Json& item : (list != nullptr ? *list : empty).GetArray()) {
    if (!item.IsObject()) return bad("rules: each rule is an object");
    std::vector<Setting> settings;
    for (const auto& member : item.GetObject()) {
      std::string key(StrView(member.name));
      if (key == "kind") continue;
      std::string value =
          member.value.IsString() ? std::string(StrView(member.value)) : Dump(member.value);
      settings.emplace_back(key, value);
    }
    auto rule = BuildRule(Str(item, "kind"), settings);
    if (!rule) return bad(rule.error().message());
    added.push_back(std::move(*rule));
  }
  if (const Json* seed = Member(*doc, "seed"); seed != nullptr) {
    if (!seed->IsUint64()) return bad("seed: want a non-negative integer");
    Seed(seed->GetUint64());
  }
  for (FaultRule& rule : added) Add(std::move(rule));
  return {200, ListJson()};
}

}  // namespace sandbox
