#include "notify/curl_handles.h"

#include <mutex>

#include "absl/strings/ascii.h"

namespace gatehouse::core {
namespace {

struct CurlUrlFree {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

std::string UrlPart(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK || text == nullptr) return "";
  std::string copy(text);
  curl_free(text);
  return copy;
}

}  // namespace

std::optional<UrlParts> ParseCurlUrl(const std::string& url) {
  // Before any thread uses libcurl: curl_global_init is not thread-safe.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURLU, CurlUrlFree> parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  UrlParts parts{.scheme = absl::AsciiStrToLower(UrlPart(parsed.get(), CURLUPART_SCHEME)),
                 .host = UrlPart(parsed.get(), CURLUPART_HOST)};
  if (parts.host.size() > 2 && parts.host.front() == '[') {
    parts.host = parts.host.substr(1, parts.host.size() - 2);
  }
  return parts;
}

}  // namespace gatehouse::core
