#pragma once

#include <vector>

#include "absl/time/time.h"
#include "domain/request_store.h"
#include "notify/curl_handles.h"
#include "notify/delivery_answer.h"
#include "notify/notify_target.h"

namespace gatehouse::core {

// Whether `target` gathers events into one message (the reviewers' mail digest) rather than
// sending each on its own.
bool SendsDigests(const NotifyTarget& target);

// One attempt to tell `target` about `changes` (exactly one unless SendsDigests), in the
// target's own format: a signed Standard Webhooks message (webhook-id, webhook-timestamp =
// `now`, webhook-signature), a Slack Block Kit message, a Teams Adaptive Card, or a mail.
// `pending_ttl` tells readers when a request expires. `http` carries HTTP posts (kept open
// between calls). Blocks for up to 10 s; never throws.
DeliveryAnswer SendNotification(const NotifyTarget& target, const std::vector<Change>& changes,
                                absl::Duration pending_ttl, absl::Time now, CurlEasy& http);

}  // namespace gatehouse::core
