#include "auth/role.h"

namespace gatehouse::core {

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kConnector:
      return "connector";
    case Role::kReviewer:
      return "reviewer";
    case Role::kReader:
      return "reader";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role role : {Role::kConnector, Role::kReviewer, Role::kReader}) {
    if (ToString(role) == text) return role;
  }
  return std::nullopt;
}

}  // namespace gatehouse::core
