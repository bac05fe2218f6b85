#pragma once

#include <string>
#include <vector>

namespace gatehouse::core {

enum class NotifyKind { kWebhook, kSlack, kTeams };

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
  std::string url;
  // Webhooks: the keys of the `whsec_` secrets, each of which signs every message.
  std::vector<std::string> signing_keys;
  bool include_personal_data = true;
  bool allow_insecure_http = false;  // http:// to a loopback address (tests)
};

}  // namespace gatehouse::core
