#include "core/mattermost/mattermost.h"

#include "core/mattermost/upgrade.h"

namespace mm {

FileStoreMode FileStoreSpec::Mode() const {
  if (external && !external->url.empty()) return FileStoreMode::kExternal;
  if (external_volume_claim && !external_volume_claim->empty()) {
    return FileStoreMode::kExternalVolume;
  }
  if (local && local->enabled) return FileStoreMode::kLocal;
  return FileStoreMode::kOperatorManaged;
}

bool Mattermost::IngressEnabled() const { return spec.ingress ? spec.ingress->enabled : true; }

const std::string& Mattermost::IngressHost() const {
  return spec.ingress ? spec.ingress->host : spec.ingress_name;
}

const StringMap& Mattermost::IngressAnnotations() const {
  return spec.ingress ? spec.ingress->annotations : spec.ingress_annotations;
}

std::string Mattermost::IngressTlsSecret() const {
  if (spec.ingress) return spec.ingress->tls_secret;
  if (!spec.use_ingress_tls) return "";
  std::string secret = IngressHost();
  for (char& c : secret) {
    if (c == '.') c = '-';
  }
  return secret + "-tls-cert";
}

bool Mattermost::AwsLoadBalancerEnabled() const {
  return spec.aws_load_balancer && spec.aws_load_balancer->enabled;
}

std::string Mattermost::ImageRef() const { return ImageReference(spec.image, spec.version); }

}  // namespace mm
