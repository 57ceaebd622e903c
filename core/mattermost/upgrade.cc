#include "core/mattermost/upgrade.h"

#include <charconv>

namespace mm {
namespace {

// Reads one decimal number (no sign, at most 9 digits) from the front of `text`.
std::optional<int64_t> TakeNumber(std::string_view& text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 9) return std::nullopt;
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + digits, value);
  text.remove_prefix(digits);
  return value;
}

bool TakeChar(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

std::string Describe(const std::string& version) { return version.empty() ? "(unset)" : version; }

}  // namespace

std::optional<ReleaseVersion> ParseReleaseVersion(std::string_view tag) {
  ReleaseVersion version;
  TakeChar(tag, 'v');
  auto major = TakeNumber(tag);
  if (!major || !TakeChar(tag, '.')) return std::nullopt;
  auto minor = TakeNumber(tag);
  if (!minor) return std::nullopt;
  version.major = *major;
  version.minor = *minor;
  if (TakeChar(tag, '.')) {
    auto patch = TakeNumber(tag);
    if (!patch) return std::nullopt;
    version.patch = *patch;
  }
  if (TakeChar(tag, '-')) {
    if (tag.empty()) return std::nullopt;
    version.prerelease = std::string(tag);
    tag = {};
  }
  if (!tag.empty()) return std::nullopt;
  return version;
}

int CompareReleaseVersions(const ReleaseVersion& a, const ReleaseVersion& b) {
  for (auto [x, y] : {std::pair{a.major, b.major}, {a.minor, b.minor}, {a.patch, b.patch}}) {
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.prerelease == b.prerelease) return 0;
  if (a.prerelease.empty()) return 1;
  if (b.prerelease.empty()) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

VersionChange ClassifyVersionChange(const std::string& from, const std::string& to) {
  if (from == to) return VersionChange::kSame;
  auto old_version = ParseReleaseVersion(from);
  auto new_version = ParseReleaseVersion(to);
  if (!old_version || !new_version) return VersionChange::kUnknown;
  int order = CompareReleaseVersions(*old_version, *new_version);
  if (order == 0) return VersionChange::kSame;  // "v10.9.0" and "10.9.0"
  return order < 0 ? VersionChange::kUpgrade : VersionChange::kDowngrade;
}

std::string ImageReference(const std::string& image, const std::string& version) {
  const char* separator = version.rfind("sha256:", 0) == 0 ? "@" : ":";
  return image + separator + version;
}

UpgradeDecision DecideUpgrade(const UpgradeFacts& facts, const UpgradeRequest& request) {
  const std::string target = ImageReference(request.image, request.version);
  if (request.version == facts.current_version && request.image == facts.current_image) {
    if (facts.stable) {
      return {UpgradeVerdict::kNothingToDo,
              facts.what + " already runs " + target + ": nothing to do"};
    }
    return {UpgradeVerdict::kResume, "resuming the change to " + target + " (state " +
                                         (facts.state.empty() ? "unknown" : facts.state) + ")"};
  }
  if (!facts.stable && !request.force && !request.rollback) {
    return {UpgradeVerdict::kRefuse,
            facts.what + " is not stable (state " +
                (facts.state.empty() ? "unknown" : facts.state) +
                "): let the current change finish or fix it first (see 'kubectl mattermost "
                "status'), or pass --force to upgrade anyway"};
  }
  if (!request.rollback && !request.force &&
      ClassifyVersionChange(facts.current_version, request.version) == VersionChange::kDowngrade) {
    return {UpgradeVerdict::kRefuse,
            Describe(facts.current_version) + " -> " + request.version +
                " is a downgrade: the database may already hold the newer version's schema, "
                "which an older Mattermost cannot use; pass --force to downgrade anyway (or "
                "--rollback to undo the last upgrade)"};
  }
  bool pods_replaced = facts.live_image.empty() || facts.live_image != target;
  if (facts.replicas == 1 && pods_replaced && !request.allow_downtime) {
    return {UpgradeVerdict::kRefuse,
            facts.what +
                " runs a single replica: a rolling upgrade needs at least two replicas (it "
                "cannot be performed with only one pod), so Mattermost would be down while its "
                "pod is replaced; pass --allow-downtime to accept that, or raise spec.replicas to "
                "2 or more first"};
  }
  return {UpgradeVerdict::kProceed, ""};
}

}  // namespace mm
