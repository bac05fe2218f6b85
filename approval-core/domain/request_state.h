#pragma once

#include <optional>
#include <string_view>

namespace gatehouse::core {

// Lifecycle of a sign-up request (design.md §4).
// pending -> approved | denied | expired; approved -> revoked;
// denied | expired | revoked -> pending only through an explicit reopen.
enum class RequestState { kPending, kApproved, kDenied, kExpired, kRevoked };

// Lower-case wire/storage name: "pending", "approved", ...
std::string_view ToString(RequestState state);

// Inverse of ToString; nullopt for anything else.
std::optional<RequestState> ParseRequestState(std::string_view text);

}  // namespace gatehouse::core
