#pragma once

#include <string>
#include <string_view>

namespace gatehouse::core {

// Lower-case hex SHA-256 (OpenSSL).
std::string Sha256Hex(std::string_view data);

}  // namespace gatehouse::core
