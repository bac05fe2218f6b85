#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>

#include "absl/status/status.h"

namespace gatehouse::core {

// A claim value as the identity platforms type them: string, integer, number or boolean
// (connector-contract.md §1.2). Kept typed so a returned claim keeps its JSON type.
using ClaimValue = std::variant<std::string, int64_t, double, bool>;

// Claims a reviewer sets on approval, returned to the platform on Continue (pre-fill at
// hook 1, override at hook 2). Ordered by name so answers are stable.
using ReturnedClaims = std::map<std::string, ClaimValue>;

// Names must look like Microsoft Graph attribute names (letters, digits, '_'; at most 128)
// and must not be one of the answer's own fields (version, action, userMessage, status, code);
// string values are at most 1024 bytes, at most 32 claims. INVALID_ARGUMENT naming the claim
// otherwise.
absl::Status ValidateReturnedClaims(const ReturnedClaims& claims);

}  // namespace gatehouse::core
