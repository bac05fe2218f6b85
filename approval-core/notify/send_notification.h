#pragma once

#include "absl/time/time.h"
#include "domain/request_store.h"
#include "notify/http_post.h"
#include "notify/notify_target.h"

namespace gatehouse::core {

// One attempt to tell `target` about `change`, in the target's own format: a signed Standard
// Webhooks message (webhook-id, webhook-timestamp = `now`, webhook-signature), a Slack Block
// Kit message or a Teams Adaptive Card. `pending_ttl` tells chat readers when a request
// expires. Blocks for up to 10 s; never throws.
PostAnswer SendNotification(const NotifyTarget& target, const Change& change,
                            absl::Duration pending_ttl, absl::Time now);

}  // namespace gatehouse::core
