#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "notify/mail_text.h"

namespace gatehouse::core {

// Whether `address` is a plain addr-spec (local@domain, no spaces, angle brackets, commas or
// line breaks) that can go into a header and an SMTP command as it is.
bool IsPlainAddress(absl::string_view address);

// An RFC 5322 message with CRLF line ends: UTF-8 subject as an encoded word, UTF-8 body in
// base64, and `message_id` (the same on every attempt, so that a repeat can be recognized).
// Addresses must be IsPlainAddress.
std::string MailMessage(const std::string& from, const std::vector<std::string>& to,
                        const MailText& text, const std::string& message_id, absl::Time date);

}  // namespace gatehouse::core
