#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "domain/request_state.h"

namespace gatehouse::core {

enum class EventType {
  kCreated,
  kSeenAgain,
  kApproved,
  kDenied,
  kRevoked,
  kReopened,
  kExpired,
  kAutoApproved,
  kAutoDenied,
  kPurged
};

std::string_view ToString(EventType type);
std::optional<EventType> ParseEventType(std::string_view text);

// One append-only audit entry. `revision` is assigned by the store: global and monotonic.
struct AuditEvent {
  int64_t revision = 0;
  std::string request_id;
  EventType type = EventType::kCreated;
  std::string actor;  // token name, or "applicant" for connector calls
  std::string reason;
  RequestState state_after = RequestState::kPending;
  absl::Time time;
};

}  // namespace gatehouse::core
