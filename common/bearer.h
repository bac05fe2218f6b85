#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

// The `authorization` value that carries `token` (RFC 6750 §2.1): "Bearer <token>".
std::string BearerHeader(std::string_view token);

// The token of a "Bearer <token>" value (the scheme in any case); nullopt for another scheme
// or an empty token.
std::optional<std::string_view> BearerToken(std::string_view header);

}  // namespace gatehouse
