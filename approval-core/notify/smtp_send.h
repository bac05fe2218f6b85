#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace gatehouse::core {

struct SmtpSettings {
  std::string url;   // smtp://HOST[:PORT] (STARTTLS required unless HOST is loopback) or smtps://
  std::string user;  // empty: no authentication
  std::string password;
};

struct SmtpAnswer {
  int code = 0;       // the server's last reply code; 0 when none came (`error` says why)
  std::string error;  // libcurl's error, if the exchange failed
};

// OK for an smtps:// URL or an smtp:// one (STARTTLS is then required unless the host is
// loopback); INVALID_ARGUMENT saying why otherwise.
absl::Status CheckSmtpUrl(const std::string& url);

// Sends `message` (RFC 5322, CRLF line ends) from `from` to every address of `to` through
// libcurl's SMTP client, in at most 10 s. Never throws.
SmtpAnswer SendMail(const SmtpSettings& smtp, const std::string& from,
                    const std::vector<std::string>& to, const std::string& message);

}  // namespace gatehouse::core
