#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mm {

// Where `upgrade` keeps the values it replaced, so that `upgrade --rollback` can restore them.
inline constexpr char kPreviousVersionAnnotation[] = "kubectl-mattermost/previous-version";
inline constexpr char kPreviousImageAnnotation[] = "kubectl-mattermost/previous-image";

// A Mattermost release number read from an image tag: "10.9.0", "v10.9", "10.9.0-rc1".
struct ReleaseVersion {
  int64_t major = 0;
  int64_t minor = 0;
  int64_t patch = 0;
  std::string prerelease;  // after '-': "rc1"; empty for a release
};

// Parses `tag` as [v]MAJOR.MINOR[.PATCH][-PRERELEASE]; nullopt for anything else (a digest,
// "latest", a branch name).
std::optional<ReleaseVersion> ParseReleaseVersion(std::string_view tag);

// Returns <0, 0 or >0 as `a` is older than, the same as or newer than `b`. A prerelease is older
// than its release (semver); prereleases of one release compare as strings.
int CompareReleaseVersions(const ReleaseVersion& a, const ReleaseVersion& b);

// How a change of spec.version moves the installation.
enum class VersionChange {
  kSame,       // the same tag
  kUpgrade,    // a newer release
  kDowngrade,  // an older release
  kUnknown,    // at least one side is not a release number (digest, "latest"): cannot compare
};

VersionChange ClassifyVersionChange(const std::string& from, const std::string& to);

// The image reference the operator runs for `image` and `version`: image:version, or
// image@version for a sha256: digest.
std::string ImageReference(const std::string& image, const std::string& version);

// What `upgrade` knows about an installation before it changes anything.
struct UpgradeFacts {
  std::string what;             // "Mattermost chat/demo", for messages
  std::string current_version;  // spec.version
  std::string current_image;    // spec.image
  int32_t replicas = 1;         // spec.replicas (1 when unset, as the operator reads it)
  bool stable = false;          // the provisioner's stable test holds
  std::string state;            // status.state
  std::string live_image;       // the Deployment's mattermost image ("" without a Deployment)
};

// What the user asked for.
struct UpgradeRequest {
  std::string version;
  std::string image;  // resolved: the flag, else the current spec.image
  bool allow_downtime = false;
  bool force = false;
  bool rollback = false;
};

enum class UpgradeVerdict {
  kProceed,      // apply the new version and drive or watch the upgrade
  kResume,       // spec already asks for it and it is not done: drive or watch again
  kNothingToDo,  // already there and stable
  kRefuse,       // stop: `message` says why and what to do
};

struct UpgradeDecision {
  UpgradeVerdict verdict = UpgradeVerdict::kProceed;
  std::string message;  // the refusal, or a note for the user ("" when none)
};

// The pre-checks of `upgrade`, in order: nothing to do (or resume) when spec already asks for
// the target; the installation must be stable (not with --force or --rollback); a downgrade is
// refused unless --force (--rollback is a deliberate downgrade); a single replica that must be
// replaced is refused unless --allow-downtime, because a rolling upgrade needs at least two.
UpgradeDecision DecideUpgrade(const UpgradeFacts& facts, const UpgradeRequest& request);

}  // namespace mm
