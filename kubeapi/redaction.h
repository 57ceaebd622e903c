#pragma once

#include <string>
#include <string_view>

namespace mm::kubeapi {

// Returns the value to log for header `name`: Authorization keeps only its scheme
// ("Bearer <masked>"), like kubectl -v=7; other headers unchanged.
std::string RedactHeader(std::string_view name, std::string_view value);

// Returns `body` with secret values replaced by "<redacted>": data and stringData of Secrets
// (also inside lists and watch events) and status.token of TokenRequests. Bodies that are not
// JSON are returned unchanged unless they mention a Secret, then they are withheld entirely.
std::string RedactBody(std::string_view body);

}  // namespace mm::kubeapi
