#pragma once

#include <string>
#include <string_view>

namespace gatehouse::core {

// A new random API token: "gh_" followed by 43 base64url characters (256 bits from the
// OS's CSPRNG via OpenSSL). The prefix makes leaked tokens easy to grep for.
std::string GenerateTokenSecret();

// Lower-case hex SHA-256 of a token. Tokens carry 256 bits of entropy, so a fast hash is
// enough; a slow password hash would only add latency to every call.
std::string HashToken(std::string_view secret);

// Compares two strings in time independent of where they differ (OpenSSL CRYPTO_memcmp);
// only the length may leak.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gatehouse::core
