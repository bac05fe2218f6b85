#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/request_store.h"

namespace gatehouse::core {

struct MailText {
  std::string subject;
  std::string body;  // plain text, '\n' line ends
};

// Operators' replacements of the applicant mails: locale (lower case) -> key -> text, from a
// target's [notify.messages.<locale>] table. Keys: approved_subject, approved_body,
// denied_subject, denied_body; texts may use {name}, {email}, {sign_in_url} and {reason}.
using MailOverrides = std::map<std::string, std::map<std::string, std::string>>;

bool IsMailTextKey(absl::string_view key);

// The mail telling an applicant of an approval (with `sign_in_url`) or a denial, in their
// language: the ui_locales tag, its language, then English (built in: en, de, fr, es, ja; the
// same choice as the block pages). A reviewer's reason is left out unless an override asks for
// {reason}: it may be meant for reviewers only.
MailText ApplicantMail(const Change& change, const std::string& sign_in_url,
                       const MailOverrides& overrides);

// The reviewers' digest of new requests: who waits, since when, until when, and the commands.
MailText ReviewerDigest(const std::vector<Change>& changes, absl::Duration pending_ttl);

}  // namespace gatehouse::core
