#!/usr/bin/env bash
# Fails when kubectl-mattermost loses the start-up savings measured by scripts/bench-install: it
# must not load the shared libstdc++, libgcc_s or libyaml-cpp (linked statically: fewer libraries
# for the dynamic loader to map and relocate), and cxxopts must not build its std::regex objects
# at static initialisation (CXXOPTS_NO_REGEX). Sanitizer builds are exempt (shared runtime).
# In every build, neither libcurl nor any library only libcurl brought in (GnuTLS, Kerberos, LDAP,
# SASL, ...) may be loaded, even indirectly: the REST transport is our own (issue 7), and those 26
# libraries cost about 4 MiB of memory in every run.
set -euo pipefail
binary=${1:?usage: startup_linking.sh PATH_TO_kubectl-mattermost [SANITIZE]}
loaded=$(ldd "$binary" | awk '{print $1}')
[[ -n $loaded ]] || { echo "error: ldd found no libraries in $binary" >&2; exit 1; }
curl_closure='^(libcurl|libcurl-gnutls|libgnutls|libnettle|libhogweed|libgmp|libkrb5|libkrb5support|'
curl_closure+='libk5crypto|libgssapi_krb5|libcom_err|libkeyutils|libldap|liblber|libsasl2|librtmp|'
curl_closure+='libssh2|libpsl|libidn2|libunistring|libbrotlidec|libbrotlicommon|libzstd|libp11-kit|'
curl_closure+='libtasn1|libffi)[.-]'
if unwanted=$(grep -E "$curl_closure" <<<"$loaded"); then
  echo "error: $binary loads libcurl or its dependencies again: $(tr '\n' ' ' <<<"$unwanted")" >&2
  exit 1
fi
if [[ ${2:-OFF} == ON ]]; then
  echo "sanitizer build: start-up linking not checked"
  exit 0
fi
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[[ -n $needed ]] || { echo "error: readelf found no NEEDED entries in $binary" >&2; exit 1; }
status=0
for library in libstdc++ libgcc_s libyaml-cpp; do
  if grep -q "^$library\." <<<"$needed"; then
    echo "error: $binary loads $library dynamically; link it statically (plugin/CMakeLists.txt)" >&2
    status=1
  fi
done
# cxxopts' regex parser keeps its patterns in namespace-scope globals named like these.
symbols=$(nm -C "$binary")
if grep -qE 'cxxopts::.*(option_matcher|integer_pattern|truthy_pattern)' <<<"$symbols"; then
  echo "error: $binary builds cxxopts' std::regex patterns at start-up; define CXXOPTS_NO_REGEX" >&2
  status=1
fi
((status == 0)) && echo "start-up linking ok: $(wc -l <<<"$needed") shared libraries needed," \
  "$(wc -l <<<"$loaded") loaded, none of libcurl's"
exit $status
