#include "notify/send_notification.h"

#include "absl/strings/str_cat.h"
#include "notify/http_post.h"
#include "notify/mail_message.h"
#include "notify/notify_event.h"
#include "notify/smtp_send.h"
#include "notify/webhook_signature.h"

namespace gatehouse::core {
namespace {

using Outcome = DeliveryAnswer::Outcome;

DeliveryAnswer FromHttp(PostAnswer answer) {
  DeliveryAnswer delivery{
      .detail = answer.status == 0 ? answer.error : absl::StrCat("HTTP ", answer.status),
      .body = std::move(answer.body),
      .retry_after = answer.retry_after};
  const int status = answer.status;
  if (status >= 200 && status < 300) {
    delivery.outcome = Outcome::kDelivered;
  } else if (status == 410) {
    delivery.outcome = Outcome::kGone;
  } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
    delivery.outcome = Outcome::kRefused;
  } else {
    delivery.outcome = Outcome::kTryLater;  // no answer, 3xx (not followed), 5xx, 408, 429
  }
  return delivery;
}

DeliveryAnswer FromSmtp(const SmtpAnswer& answer) {
  DeliveryAnswer delivery{.detail = answer.error.empty()
                                        ? absl::StrCat("SMTP ", answer.code)
                                        : absl::StrCat("SMTP ", answer.code, ": ", answer.error)};
  if (answer.code >= 200 && answer.code < 300) {
    delivery.outcome = Outcome::kDelivered;
  } else if (answer.code >= 500) {
    delivery.outcome = Outcome::kRefused;  // 5xx: permanent in SMTP
  } else {
    delivery.outcome = Outcome::kTryLater;  // 4xx, or no answer
  }
  return delivery;
}

DeliveryAnswer SendMailFor(const NotifyTarget& target, const std::vector<Change>& changes,
                           absl::Duration pending_ttl, absl::Time now) {
  const Change& first = changes.front();
  // One id per mail, the same on every attempt: the first event's, and for a digest the last's.
  const std::string message_id = absl::StrCat(
      WebhookMessageId(first),
      changes.size() > 1 ? absl::StrCat("-", changes.back().event.revision) : "", "@gatehouse");
  if (!target.to_applicant) {
    return FromSmtp(SendMail(target.smtp, target.from, target.to,
                             MailMessage(target.from, target.to,
                                         ReviewerDigest(changes, pending_ttl), message_id, now)));
  }
  const std::string& address = first.request.applicant.email;
  if (!IsPlainAddress(address)) {
    return {.outcome = Outcome::kRefused,
            .detail = address.empty() ? "the applicant has no email address"
                                      : "the applicant's email address cannot be mailed"};
  }
  return FromSmtp(SendMail(
      target.smtp, target.from, {address},
      MailMessage(target.from, {address},
                  ApplicantMail(first, target.sign_in_url, target.mail_texts), message_id, now)));
}

}  // namespace

bool SendsDigests(const NotifyTarget& target) {
  return target.kind == NotifyKind::kEmail && !target.to_applicant;
}

DeliveryAnswer SendNotification(const NotifyTarget& target, const std::vector<Change>& changes,
                                absl::Duration pending_ttl, absl::Time now, CurlEasy& http) {
  if (changes.empty()) return {.outcome = Outcome::kDelivered};
  const Change& change = changes.front();
  switch (target.kind) {
    case NotifyKind::kWebhook: {
      const std::string id = WebhookMessageId(change);
      const int64_t timestamp = absl::ToUnixSeconds(now);
      const std::string body = WebhookBody(change, target.include_personal_data);
      return FromHttp(PostJson(
          http, target.url,
          {absl::StrCat("webhook-id: ", id), absl::StrCat("webhook-timestamp: ", timestamp),
           absl::StrCat("webhook-signature: ",
                        SignWebhook(target.signing_keys, id, timestamp, body))},
          body, target.allow_insecure_http));
    }
    case NotifyKind::kSlack:
      return FromHttp(
          PostJson(http, target.url, {},
                   SlackMessage(ChatViewOf(change, pending_ttl, target.include_personal_data)),
                   target.allow_insecure_http));
    case NotifyKind::kTeams:
      return FromHttp(
          PostJson(http, target.url, {},
                   TeamsMessage(ChatViewOf(change, pending_ttl, target.include_personal_data)),
                   target.allow_insecure_http));
    case NotifyKind::kEmail:
      return SendMailFor(target, changes, pending_ttl, now);
  }
  return {.outcome = Outcome::kRefused, .detail = "unknown target kind"};
}

}  // namespace gatehouse::core
