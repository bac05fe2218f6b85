#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/request_store.h"
#include "notify/notify_target.h"

namespace gatehouse::core {

// The notification type of an audit event: request.created, request.approved (also by a
// rule), request.denied (also by a rule), request.expired, request.revoked, request.reopened.
// nullopt for what no target hears: an applicant seen again, personal data purged.
std::optional<absl::string_view> NotifyEventType(EventType type);

// The six types, for checking a target's `events`.
const std::vector<absl::string_view>& NotifyEventTypes();

// Whether `target` hears `change`: a type it lists (all when it lists none), and an applicant
// that passes its email-domain and identity-provider filters.
bool TargetWants(const NotifyTarget& target, const Change& change);

// The `webhook-id`: the same for every attempt and every restart, different for every event.
std::string WebhookMessageId(const Change& change);

// The Standard Webhooks body: {"type", "timestamp" (RFC 3339), "data": {id, state, revision,
// actor, reason[, email, display_name, identity_provider]}}.
std::string WebhookBody(const Change& change, bool include_personal_data);

// What a chat message says about `change`, for Slack and Teams alike.
struct ChatView {
  std::string title;  // "Sign-up waiting for approval", "Request X approved by alice: reason"
  std::vector<std::pair<std::string, std::string>> facts;  // label, value
  std::string command;  // what a reviewer runs next; empty for decisions
};
ChatView ChatViewOf(const Change& change, absl::Duration pending_ttl, bool include_personal_data);

// Slack incoming-webhook payload: Block Kit, with `text` as the notification's fallback.
std::string SlackMessage(const ChatView& view);
// Teams Workflows payload: a message with one Adaptive Card 1.4.
std::string TeamsMessage(const ChatView& view);

}  // namespace gatehouse::core
