#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace gatehouse::core {

// What one attempt to notify came to, whichever the channel (HTTP or SMTP).
struct DeliveryAnswer {
  enum class Outcome {
    kDelivered,
    kTryLater,  // down, timed out, 5xx over HTTP, 4xx over SMTP, 408/429: the schedule goes on
    kRefused,   // refused for good (another HTTP 4xx, SMTP 5xx): recorded as failed
    kGone,      // HTTP 410: the target is disabled
  };
  Outcome outcome = Outcome::kTryLater;
  std::string detail;  // "HTTP 400", "SMTP 550", or the transport's error
  std::string body;    // what an HTTP receiver answered (for `notify test`)
  std::optional<std::chrono::seconds> retry_after;
};

}  // namespace gatehouse::core
