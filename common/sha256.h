#pragma once

#include <array>
#include <string>
#include <string_view>

namespace gatehouse {

using Sha256Digest = std::array<unsigned char, 32>;

// SHA-256 (OpenSSL) of `data`. Thread-safe.
Sha256Digest Sha256(std::string_view data);
// The same, as lower-case hex.
std::string Sha256Hex(std::string_view data);

}  // namespace gatehouse
