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
  }
  return "unknown";
}

}  // namespace gatehouse::core
