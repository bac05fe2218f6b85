#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gatehouse::gateway {

// Connector bodies are flat objects of claims (connector-contract.md §1.2); anything deeply
// nested or with huge arrays is hostile, and recursion over it (serializing, destroying) could
// exhaust a stack. Checked on the raw text before parsing, in one pass without recursion.
inline constexpr int kMaxJsonDepth = 16;
inline constexpr int kMaxArrayLength = 256;

// INVALID_ARGUMENT when `body` nests deeper than kMaxJsonDepth or has an array with more than
// kMaxArrayLength elements. Does not validate the JSON otherwise (the parser does).
absl::Status CheckJsonLimits(std::string_view body);

// A connector body as both dialects require it: within the limits above, strict JSON, an
// object. INVALID_ARGUMENT with a message fit for the caller otherwise.
absl::StatusOr<nlohmann::json> ParseJsonObject(std::string_view body);

}  // namespace gatehouse::gateway
