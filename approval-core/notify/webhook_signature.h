#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gatehouse::core {

// Standard Webhooks 1.0 signing (https://www.standardwebhooks.com).

// The key of a secret written "whsec_" + base64(key). INVALID_ARGUMENT for anything else, or
// a key shorter than 24 bytes (the spec asks for 24 to 64).
absl::StatusOr<std::string> ParseWebhookSecret(absl::string_view secret);

// The `webhook-signature` header: "v1," + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))
// for each key, space-separated (several keys while a secret is rotated).
std::string SignWebhook(const std::vector<std::string>& keys, absl::string_view id,
                        int64_t timestamp, absl::string_view body);

}  // namespace gatehouse::core
