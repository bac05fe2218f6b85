#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "notify/curl_handles.h"

namespace gatehouse::core {

// What a notification receiver answered.
struct PostAnswer {
  int status = 0;     // HTTP status; 0 when no answer came (`error` says why)
  std::string error;  // the transport's error, empty when an answer came
  std::optional<std::chrono::seconds> retry_after;  // the Retry-After header, in seconds
  std::string body;                                 // at most kMaxAnswerBytes of it
};

inline constexpr size_t kMaxAnswerBytes = 64 * 1024;

// OK for an https:// URL, or an http:// one to a loopback host when `allow_insecure_http`;
// INVALID_ARGUMENT saying why otherwise.
absl::Status CheckNotifyUrl(const std::string& url, bool allow_insecure_http);

// POSTs `body` (JSON) to `url` with `headers` ("Name: value") through libcurl: redirects not
// followed, at most 10 s in all, at most kMaxAnswerBytes of the answer read, and only the
// protocols CheckNotifyUrl allows. `handle` is created if empty and reused otherwise, so its
// connection to the receiver stays open for the next post. Never throws.
PostAnswer PostJson(CurlEasy& handle, const std::string& url,
                    const std::vector<std::string>& headers, const std::string& body,
                    bool allow_insecure_http);

}  // namespace gatehouse::core
