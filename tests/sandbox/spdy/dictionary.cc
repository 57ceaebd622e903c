#include "tests/sandbox/spdy/dictionary.h"

#include <cstdint>
#include <string>

namespace sandbox::spdy {
namespace {

// The dictionary is a list of length-prefixed (uint32, big-endian) header names and common values,
// followed by plain text: status codes and phrases, dates and content types. Spelling it out as
// words keeps it readable; the unit test pins its size and zlib's Adler-32 dictionary id.
constexpr std::string_view kPrefixedWords[] = {
    "options",
    "head",
    "post",
    "put",
    "delete",
    "trace",
    "accept",
    "accept-charset",
    "accept-encoding",
    "accept-language",
    "accept-ranges",
    "age",
    "allow",
    "authorization",
    "cache-control",
    "connection",
    "content-base",
    "content-encoding",
    "content-language",
    "content-length",
    "content-location",
    "content-md5",
    "content-range",
    "content-type",
    "date",
    "etag",
    "expect",
    "expires",
    "from",
    "host",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "if-range",
    "if-unmodified-since",
    "last-modified",
    "location",
    "max-forwards",
    "pragma",
    "proxy-authenticate",
    "proxy-authorization",
    "range",
    "referer",
    "retry-after",
    "server",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "vary",
    "via",
    "warning",
    "www-authenticate",
    "method",
    "get",
    "status",
    "200 OK",
    "version",
    "HTTP/1.1",
    "url",
    "public",
    "set-cookie",
    "keep-alive",
    "origin",
};

constexpr std::string_view kStatusCodes =
    "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505";
constexpr std::string_view kStatusPhrases =
    "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request"
    "401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented"
    "503 Service Unavailable";
constexpr std::string_view kDates =
    "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, "
    "GMT";
constexpr std::string_view kValues =
    "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,"
    "text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8"
    "charset=iso-8859-1,utf-,*,enq=0.";

std::string Build() {
  std::string out;
  for (std::string_view word : kPrefixedWords) {
    auto size = static_cast<uint32_t>(word.size());
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(size >> shift));
    out.append(word);
  }
  out.append(kStatusCodes);
  out.append(kStatusPhrases);
  out.append(kDates);
  out.append(kValues);
  return out;
}

}  // namespace

std::string_view HeaderDictionary() {
  static const std::string dictionary = Build();
  return dictionary;
}

}  // namespace sandbox::spdy
