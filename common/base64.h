#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

// Base64 in the two forms Gatehouse meets (RFC 4648). Decoding is strict: nullopt for any
// character outside the alphabet (whitespace included), misplaced or missing padding, or a
// length no byte count gives.

// Standard alphabet with `=` padding (§4): HTTP Basic credentials, certificates forwarded by a
// proxy, signatures.
std::string EncodeBase64(std::string_view bytes);
std::optional<std::string> DecodeBase64(std::string_view encoded);

// URL-safe alphabet without padding (§5): API tokens, JWTs and JWKs.
std::string EncodeBase64Url(std::string_view bytes);
std::optional<std::string> DecodeBase64Url(std::string_view encoded);

}  // namespace gatehouse
