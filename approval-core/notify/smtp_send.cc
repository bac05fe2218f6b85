#include "notify/smtp_send.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/host_port.h"
#include "notify/curl_handles.h"

namespace gatehouse::core {
namespace {

constexpr long kTimeoutMs = 10000;

struct Upload {
  const std::string& message;
  size_t sent = 0;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t bytes = std::min(size * count, upload->message.size() - upload->sent);
  std::memcpy(buffer, upload->message.data() + upload->sent, bytes);
  upload->sent += bytes;
  return bytes;
}

}  // namespace

absl::Status CheckSmtpUrl(const std::string& url) {
  auto parts = ParseCurlUrl(url);
  if (!parts) return absl::InvalidArgumentError(absl::StrCat("'", url, "' is not a URL"));
  if (parts->scheme == "smtps" || parts->scheme == "smtp") return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("'", url, "' must be smtp:// (with STARTTLS) or smtps://"));
}

SmtpAnswer SendMail(const SmtpSettings& smtp, const std::string& from,
                    const std::vector<std::string>& to, const std::string& message) {
  SmtpAnswer answer;
  auto parts = ParseCurlUrl(smtp.url);
  CurlEasy curl(curl_easy_init());
  if (!parts || !curl) {
    answer.error = "cannot start libcurl";
    return answer;
  }
  CurlList recipients;
  for (const std::string& address : to) recipients.Append("<" + address + ">");
  Upload upload{message};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, smtp.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // STARTTLS or nothing, except on this very machine (a local relay, the tests).
  if (parts->scheme == "smtp" && !IsLoopbackHost(parts->host)) {
    curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!smtp.user.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, smtp.user.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, smtp.password.c_str());
  }
  const std::string mail_from = "<" + from + ">";
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadMessage);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, kTimeoutMs);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  const CURLcode result = curl_easy_perform(handle);
  long code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
  answer.code = static_cast<int>(code);
  if (result != CURLE_OK) {
    answer.error = curl_easy_strerror(result);
    // A transfer that failed after a 2xx reply (e.g. on QUIT) did not deliver for sure.
    if (answer.code >= 200 && answer.code < 300) answer.code = 0;
  }
  return answer;
}

}  // namespace gatehouse::core
