#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace gatehouse::core {

// Where a notification target stands, kept in the database next to the audit log.
struct DeliveryState {
  std::string target;
  int64_t position = 0;  // every event up to this revision was delivered, skipped or failed
  int64_t delivered = 0;
  int64_t failed = 0;
  std::optional<absl::Time> disabled;  // the receiver answered 410 Gone
  std::string disabled_reason;
};

// An event a target refused for good, or whose retries ran out.
struct FailedDelivery {
  std::string target;
  int64_t revision = 0;
  absl::Time failed_at;
  int attempts = 0;
  std::string error;
  bool retry_requested = false;  // `notify retry`: the delivery thread sends it again
};

// The backlog of a target: the events after its position.
struct DeliveryBacklog {
  int64_t events = 0;
  std::optional<absl::Time> oldest;  // when the oldest of them was recorded
};

// Durable delivery positions and failures: the audit log serves as the outbox, so this is all
// the state delivery needs. Errors: UNAVAILABLE for storage failures.
class DeliveryStore {
 public:
  virtual ~DeliveryStore() = default;

  // The target's state; a target seen for the first time starts at `start_position`.
  virtual absl::StatusOr<DeliveryState> Open(std::string_view target, int64_t start_position) = 0;
  // Every target that was ever opened, by name.
  virtual absl::StatusOr<std::vector<DeliveryState>> List() = 0;
  // Moves the position forward and counts `delivered` more deliveries.
  virtual absl::Status Advance(std::string_view target, int64_t position, int64_t delivered) = 0;
  // Records `failure` (replacing an earlier one of the same event) and counts it.
  virtual absl::Status RecordFailure(const FailedDelivery& failure) = 0;
  // Delivery is off until `notify retry`. NOT_FOUND for a target never opened.
  virtual absl::Status Disable(std::string_view target, absl::Time when,
                               std::string_view reason) = 0;
  // The target's failures, oldest event first.
  virtual absl::StatusOr<std::vector<FailedDelivery>> ListFailures(std::string_view target) = 0;
  // Turns delivery back on and marks every failure of `target` to be sent again; returns how
  // many. NOT_FOUND for a target never opened.
  virtual absl::StatusOr<int64_t> RequestRetry(std::string_view target) = 0;
  // Removes a failure once it was delivered on a retry.
  virtual absl::Status ClearFailure(std::string_view target, int64_t revision) = 0;
  virtual absl::StatusOr<DeliveryBacklog> Backlog(int64_t position) = 0;
  // The highest revision in the audit log (0 when empty): where a new target starts.
  virtual absl::StatusOr<int64_t> LatestRevision() = 0;
};

}  // namespace gatehouse::core
