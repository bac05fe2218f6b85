#include "notify/http_post.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/host_port.h"
#include "notify/curl_handles.h"

namespace gatehouse::core {
namespace {

constexpr long kTimeoutMs = 10000;

size_t KeepBody(char* data, size_t size, size_t count, void* user) {
  auto* answer = static_cast<PostAnswer*>(user);
  const size_t bytes = size * count;
  // Past the cap the transfer is cut: the status is known by then, the rest is not read.
  if (answer->body.size() + bytes > kMaxAnswerBytes) return 0;
  answer->body.append(data, bytes);
  return bytes;
}

size_t ReadHeader(char* data, size_t size, size_t count, void* user) {
  auto* answer = static_cast<PostAnswer*>(user);
  const absl::string_view line(data, size * count);
  constexpr absl::string_view kRetryAfter = "retry-after:";
  if (line.size() > kRetryAfter.size() &&
      absl::EqualsIgnoreCase(line.substr(0, kRetryAfter.size()), kRetryAfter)) {
    // Only the delay-seconds form; an HTTP date falls back to the schedule.
    int64_t seconds = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line.substr(kRetryAfter.size())), &seconds) &&
        seconds >= 0) {
      answer->retry_after = std::chrono::seconds(seconds);
    }
  }
  return size * count;
}

}  // namespace

absl::Status CheckNotifyUrl(const std::string& url, bool allow_insecure_http) {
  auto parts = ParseCurlUrl(url);
  if (!parts) return absl::InvalidArgumentError(absl::StrCat("'", url, "' is not a URL"));
  if (parts->scheme == "https") return absl::OkStatus();
  if (parts->scheme == "http" && allow_insecure_http) {
    if (IsLoopbackHost(parts->host)) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "'", url, "': allow_insecure_http permits http:// to a loopback address only"));
  }
  return absl::InvalidArgumentError(absl::StrCat("'", url, "' must be https://"));
}

PostAnswer PostJson(CurlEasy& curl, const std::string& url, const std::vector<std::string>& headers,
                    const std::string& body, bool allow_insecure_http) {
  PostAnswer answer;
  if (absl::Status checked = CheckNotifyUrl(url, allow_insecure_http); !checked.ok()) {
    answer.error = std::string(checked.message());
    return answer;
  }
  if (curl) {
    curl_easy_reset(curl.get());  // the options go; live connections and caches stay
  } else {
    curl.reset(curl_easy_init());
  }
  if (!curl) {
    answer.error = "cannot start libcurl";
    return answer;
  }
  CurlList list;
  list.Append("Content-Type: application/json");
  for (const std::string& header : headers) list.Append(header);
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, allow_insecure_http ? "http,https" : "https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, kTimeoutMs);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &KeepBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &ReadHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &answer);
  const CURLcode result = curl_easy_perform(handle);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  answer.status = static_cast<int>(status);
  // An answer cut at the cap still has its status: only a transfer that got none failed.
  if (result != CURLE_OK && answer.status == 0) answer.error = curl_easy_strerror(result);
  return answer;
}

}  // namespace gatehouse::core
