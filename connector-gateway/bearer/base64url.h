#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse::gateway {

// Decodes unpadded base64url (RFC 4648 §5), as JWTs and JWKs use it. nullopt for any
// character outside the alphabet, padding, or an impossible length.
std::optional<std::string> DecodeBase64Url(std::string_view encoded);

}  // namespace gatehouse::gateway
