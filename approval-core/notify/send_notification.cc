#include "notify/send_notification.h"

#include "absl/strings/str_cat.h"
#include "notify/notify_event.h"
#include "notify/webhook_signature.h"

namespace gatehouse::core {

PostAnswer SendNotification(const NotifyTarget& target, const Change& change,
                            absl::Duration pending_ttl, absl::Time now) {
  switch (target.kind) {
    case NotifyKind::kWebhook: {
      const std::string id = WebhookMessageId(change);
      const int64_t timestamp = absl::ToUnixSeconds(now);
      const std::string body = WebhookBody(change, target.include_personal_data);
      return PostJson(
          target.url,
          {absl::StrCat("webhook-id: ", id), absl::StrCat("webhook-timestamp: ", timestamp),
           absl::StrCat("webhook-signature: ",
                        SignWebhook(target.signing_keys, id, timestamp, body))},
          body, target.allow_insecure_http);
    }
    case NotifyKind::kSlack:
      return PostJson(target.url, {},
                      SlackMessage(ChatViewOf(change, pending_ttl, target.include_personal_data)),
                      target.allow_insecure_http);
    case NotifyKind::kTeams:
      return PostJson(target.url, {},
                      TeamsMessage(ChatViewOf(change, pending_ttl, target.include_personal_data)),
                      target.allow_insecure_http);
  }
  return PostAnswer{.error = "unknown target kind"};
}

}  // namespace gatehouse::core
