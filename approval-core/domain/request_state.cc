#include "domain/request_state.h"

#include <array>
#include <utility>

namespace gatehouse::core {
namespace {

constexpr std::array<std::pair<RequestState, std::string_view>, 5> kNames = {{
    {RequestState::kPending, "pending"},
    {RequestState::kApproved, "approved"},
    {RequestState::kDenied, "denied"},
    {RequestState::kExpired, "expired"},
    {RequestState::kRevoked, "revoked"},
}};

}  // namespace

std::string_view ToString(RequestState state) {
  for (const auto& [value, name] : kNames) {
    if (value == state) return name;
  }
  return "unknown";
}

std::optional<RequestState> ParseRequestState(std::string_view text) {
  for (const auto& [value, name] : kNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace gatehouse::core
