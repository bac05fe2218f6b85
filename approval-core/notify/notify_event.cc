#include "notify/notify_event.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gatehouse::core {
namespace {

using nlohmann::json;

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
}

std::string IdentityProvider(const Applicant& applicant) {
  return applicant.identities.empty() ? "" : applicant.identities.front().issuer;
}

bool Contains(const std::vector<std::string>& list, absl::string_view value) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& item) {
    return absl::AsciiStrToLower(item) == absl::AsciiStrToLower(value);
  });
}

// Slack reads &, < and > as markup (links, @channel): an applicant's name must not be.
std::string SlackEscaped(absl::string_view text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '&') {
      escaped += "&amp;";
    } else if (c == '<') {
      escaped += "&lt;";
    } else if (c == '>') {
      escaped += "&gt;";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

}  // namespace

std::optional<absl::string_view> NotifyEventType(EventType type) {
  switch (type) {
    case EventType::kCreated:
      return "request.created";
    case EventType::kApproved:
    case EventType::kAutoApproved:
      return "request.approved";
    case EventType::kDenied:
    case EventType::kAutoDenied:
      return "request.denied";
    case EventType::kExpired:
      return "request.expired";
    case EventType::kRevoked:
      return "request.revoked";
    case EventType::kReopened:
      return "request.reopened";
    case EventType::kSeenAgain:
    case EventType::kPurged:
      return std::nullopt;
  }
  return std::nullopt;
}

const std::vector<absl::string_view>& NotifyEventTypes() {
  static const std::vector<absl::string_view> kTypes = {"request.created", "request.approved",
                                                        "request.denied",  "request.expired",
                                                        "request.revoked", "request.reopened"};
  return kTypes;
}

bool TargetWants(const NotifyTarget& target, const Change& change) {
  const std::optional<absl::string_view> type = NotifyEventType(change.event.type);
  if (!type) return false;
  if (!target.events.empty() && !Contains(target.events, *type)) return false;
  if (target.kind == NotifyKind::kEmail) {
    // Reviewers hear of new requests, applicants of their decision.
    const bool decision = *type == "request.approved" || *type == "request.denied";
    if (target.to_applicant ? !decision : *type != "request.created") return false;
  }
  const Applicant& applicant = change.request.applicant;
  if (!target.email_domains.empty()) {
    const size_t at = applicant.email.rfind('@');
    if (at == std::string::npos ||
        !Contains(target.email_domains, applicant.email.substr(at + 1))) {
      return false;
    }
  }
  if (!target.issuers.empty()) {
    const bool any = std::any_of(applicant.identities.begin(), applicant.identities.end(),
                                 [&](const FederatedIdentity& identity) {
                                   return Contains(target.issuers, identity.issuer);
                                 });
    if (!any) return false;
  }
  return true;
}

std::string WebhookMessageId(const Change& change) {
  return absl::StrCat("evt_", change.event.revision, "_", change.event.request_id);
}

std::string WebhookBody(const Change& change, bool include_personal_data) {
  json data = {{"id", change.event.request_id},
               {"state", ToString(change.event.state_after)},
               {"revision", change.event.revision},
               {"actor", change.event.actor},
               {"reason", change.event.reason}};
  if (include_personal_data) {
    const Applicant& applicant = change.request.applicant;
    data["email"] = applicant.email;
    data["display_name"] = applicant.display_name;
    data["identity_provider"] = IdentityProvider(applicant);
  }
  const json body = {{"type", NotifyEventType(change.event.type).value_or("")},
                     {"timestamp", Rfc3339(change.event.time)},
                     {"data", std::move(data)}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

ChatView ChatViewOf(const Change& change, absl::Duration pending_ttl, bool include_personal_data) {
  const ApprovalRequest& request = change.request;
  const std::string& id = change.event.request_id;
  ChatView view;
  if (change.event.type == EventType::kCreated) {
    view.title = "Sign-up waiting for approval";
    if (include_personal_data) {
      view.facts = {
          {"Email", request.applicant.email},
          {"Name", request.applicant.display_name},
          {"Provider", request.applicant.identities.empty() ? "local account"
                                                            : IdentityProvider(request.applicant)}};
    }
    view.facts.emplace_back("Request", id);
    view.facts.emplace_back("Attempts", absl::StrCat(request.attempts));
    if (request.pending_since) {
      view.facts.emplace_back(
          "Expires", absl::FormatTime("%Y-%m-%d %H:%M UTC", *request.pending_since + pending_ttl,
                                      absl::UTCTimeZone()));
    }
    view.command = absl::StrCat("reviewer approve ", id, "   (or: reviewer review)");
    return view;
  }
  const std::string verb(NotifyEventType(change.event.type).value_or("request.changed").substr(8));
  view.title = absl::StrCat("Request ", id, " ", verb, " by ", change.event.actor,
                            change.event.reason.empty() ? "" : ": ", change.event.reason);
  if (include_personal_data) view.facts = {{"Email", request.applicant.email}};
  return view;
}

std::string SlackMessage(const ChatView& view) {
  json blocks = json::array();
  blocks.push_back(
      {{"type", "section"},
       {"text", {{"type", "mrkdwn"}, {"text", absl::StrCat("*", SlackEscaped(view.title), "*")}}}});
  if (!view.facts.empty()) {
    json fields = json::array();
    for (const auto& [label, value] : view.facts) {
      fields.push_back(
          {{"type", "mrkdwn"}, {"text", absl::StrCat("*", label, "*\n", SlackEscaped(value))}});
    }
    blocks.push_back({{"type", "section"}, {"fields", std::move(fields)}});
  }
  if (!view.command.empty()) {
    blocks.push_back(
        {{"type", "section"},
         {"text", {{"type", "mrkdwn"}, {"text", absl::StrCat("```", view.command, "```")}}}});
  }
  const json message = {{"text", SlackEscaped(view.title)}, {"blocks", std::move(blocks)}};
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string TeamsMessage(const ChatView& view) {
  json body = json::array();
  body.push_back({{"type", "TextBlock"},
                  {"text", view.title},
                  {"weight", "Bolder"},
                  {"size", "Medium"},
                  {"wrap", true}});
  if (!view.facts.empty()) {
    json facts = json::array();
    for (const auto& [label, value] : view.facts)
      facts.push_back({{"title", label}, {"value", value}});
    body.push_back({{"type", "FactSet"}, {"facts", std::move(facts)}});
  }
  if (!view.command.empty()) {
    body.push_back(
        {{"type", "TextBlock"}, {"text", view.command}, {"fontType", "Monospace"}, {"wrap", true}});
  }
  const json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                     {"type", "AdaptiveCard"},
                     {"version", "1.4"},
                     {"body", std::move(body)}};
  const json message = {
      {"type", "message"},
      {"attachments", json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                    {"contentUrl", nullptr},
                                    {"content", card}}})}};
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace gatehouse::core
