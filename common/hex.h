#pragma once

#include <span>
#include <string>

namespace gatehouse {

// `bytes` as lower-case hex, two digits per byte (digests, certificate thumbprints).
std::string LowerHex(std::span<const unsigned char> bytes);

}  // namespace gatehouse
