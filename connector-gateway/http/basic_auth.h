#pragma once

#include <string>
#include <string_view>

namespace gatehouse::gateway {

struct BasicCredentials {
  std::string username;
  std::string password;
};

// True when `authorization_header` is "Basic base64(user:pass)" matching `expected`.
// Splits on the first ':' only (passwords may contain ':'; connector-contract.md §1.5) and
// compares both parts in constant time, whatever their lengths.
bool BasicAuthMatches(std::string_view authorization_header, const BasicCredentials& expected);

}  // namespace gatehouse::gateway
