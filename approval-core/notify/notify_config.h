#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "notify/notify_target.h"

namespace gatehouse::core {

// Reads the [[notify]] tables of approval-core's TOML config file (docs/notifications.md):
//
//   [[notify]]
//   name = "audit-sink"          # unique; keys the delivery position in the database
//   kind = "webhook"             # webhook | slack | teams
//   url = "https://hooks.example.com/gatehouse"
//   secret_file = "/etc/gatehouse/webhook.secret"   # whsec_… per line, each one signs
//   events = ["request.created"] # default: all six types
//   email_domains = ["fabrikam.com"]                # optional filters
//
// Files (secret_file, url_file) are read now, so a missing one stops start-up. An empty path
// or a file without [[notify]] gives no targets; INVALID_ARGUMENT naming the target and key
// for anything unexpected.
absl::StatusOr<std::vector<NotifyTarget>> LoadNotifyTargets(const std::string& path);

}  // namespace gatehouse::core
