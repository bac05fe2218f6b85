#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

// Unpadded base64url (RFC 4648 §5), as API tokens, JWTs and JWKs use it.
std::string EncodeBase64Url(std::string_view bytes);

// nullopt for any character outside the alphabet, padding, or an impossible length.
std::optional<std::string> DecodeBase64Url(std::string_view encoded);

}  // namespace gatehouse
