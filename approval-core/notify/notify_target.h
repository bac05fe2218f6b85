#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "notify/mail_text.h"
#include "notify/smtp_send.h"

namespace gatehouse::core {

enum class NotifyKind { kWebhook, kSlack, kTeams, kEmail };

// One `[[notify]]` table of approval-core's config (docs/notifications.md): where the audit
// log's events go, which of them, and how they are shown.
struct NotifyTarget {
  std::string name;  // unique; keys the target's delivery position in the database
  NotifyKind kind = NotifyKind::kWebhook;
  // Webhook event types (request.created, …) the target hears; empty: all of them.
  std::vector<std::string> events;
  // Only applicants whose email is in one of these domains (exact, case-insensitive) / who
  // signed in through one of these identity providers; empty: everyone.
  std::vector<std::string> email_domains;
  std::vector<std::string> issuers;
  bool include_personal_data = true;

  // webhook, slack, teams
  std::string url;
  bool allow_insecure_http = false;  // http:// to a loopback address (tests)
  // webhook: the keys of the `whsec_` secrets, each of which signs every message.
  std::vector<std::string> signing_keys;

  // email
  SmtpSettings smtp;
  std::string from;
  // Reviewers' addresses: new requests, in a digest at most every `digest`. Empty when
  // `to_applicant`: the applicant hears of the approval or denial, in their language.
  std::vector<std::string> to;
  bool to_applicant = false;
  absl::Duration digest = absl::Minutes(5);
  std::string sign_in_url;  // in the approval mail
  MailOverrides mail_texts;
};

}  // namespace gatehouse::core
