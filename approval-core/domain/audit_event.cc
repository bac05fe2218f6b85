#include "domain/audit_event.h"

namespace gatehouse::core {

std::string_view ToString(EventType type) {
  switch (type) {
    case EventType::kCreated:
      return "created";
    case EventType::kSeenAgain:
      return "seen_again";
    case EventType::kApproved:
      return "approved";
    case EventType::kDenied:
      return "denied";
    case EventType::kRevoked:
      return "revoked";
    case EventType::kReopened:
      return "reopened";
    case EventType::kExpired:
      return "expired";
    case EventType::kAutoApproved:
      return "auto_approved";
    case EventType::kAutoDenied:
      return "auto_denied";
    case EventType::kPurged:
      return "purged";
  }
  return "unknown";
}

std::optional<EventType> ParseEventType(std::string_view text) {
  for (EventType type :
       {EventType::kCreated, EventType::kSeenAgain, EventType::kApproved, EventType::kDenied,
        EventType::kRevoked, EventType::kReopened, EventType::kExpired, EventType::kAutoApproved,
        EventType::kAutoDenied, EventType::kPurged}) {
    if (ToString(type) == text) return type;
  }
  return std::nullopt;
}

}  // namespace gatehouse::core
