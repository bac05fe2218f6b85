#pragma once

#include <optional>
#include <string_view>

namespace gatehouse::core {

// What an API token may do (design.md §5).
enum class Role {
  kConnector,  // connector-gateway: ConnectorService
  kReviewer,   // people deciding: ReviewService and StatusService
  kReader,     // other systems: read-only ReviewService methods and StatusService
};

std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view text);

}  // namespace gatehouse::core
