#include "notify/mail_message.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/base64.h"

namespace gatehouse::core {

bool IsPlainAddress(absl::string_view address) {
  const size_t at = address.find('@');
  if (at == 0 || at == absl::string_view::npos || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != absl::string_view::npos) return false;
  for (const char c : address) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == ',' || c == '"' ||
        c == 0x7f) {
      return false;
    }
  }
  return true;
}

namespace {

// The subject as RFC 2047 encoded words of at most 45 bytes of UTF-8 each (75 characters
// encoded), never splitting a character, on folded lines.
std::string EncodedSubject(const std::string& subject) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < subject.size()) {
    size_t end = std::min(start + 45, subject.size());
    while (end < subject.size() && end > start + 1 &&
           (static_cast<unsigned char>(subject[end]) & 0xC0) == 0x80) {
      --end;  // a continuation byte: the character starts before
    }
    words.push_back(
        absl::StrCat("=?UTF-8?B?", EncodeBase64(subject.substr(start, end - start)), "?="));
    start = end;
  }
  return absl::StrJoin(words, "\r\n ");
}

}  // namespace

std::string MailMessage(const std::string& from, const std::vector<std::string>& to,
                        const MailText& text, const std::string& message_id, absl::Time date) {
  const std::string body =
      EncodeBase64(absl::StrReplaceAll(text.body, {{"\r\n", "\n"}, {"\n", "\r\n"}}));
  std::string message = absl::StrCat(
      "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", date, absl::UTCTimeZone()),
      "\r\nFrom: <", from, ">\r\nTo: ",
      absl::StrJoin(
          to, ", ",
          [](std::string* out, const std::string& a) { absl::StrAppend(out, "<", a, ">"); }),
      "\r\nMessage-ID: <", message_id, ">\r\nSubject: ", EncodedSubject(text.subject),
      "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n");
  for (size_t i = 0; i < body.size(); i += 76) {
    absl::StrAppend(&message, body.substr(i, 76), "\r\n");
  }
  return message;
}

}  // namespace gatehouse::core
