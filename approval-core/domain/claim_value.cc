#include "domain/claim_value.h"

#include <array>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace gatehouse::core {
namespace {

constexpr size_t kMaxClaims = 32;
constexpr size_t kMaxNameLength = 128;
constexpr size_t kMaxStringLength = 1024;
// Fields of the connector answer itself (connector-contract.md §1.3).
constexpr std::array<std::string_view, 5> kReserved = {"version", "action", "userMessage", "status",
                                                       "code"};

bool IsAttributeName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::Status ValidateReturnedClaims(const ReturnedClaims& claims) {
  if (claims.size() > kMaxClaims) {
    return absl::InvalidArgumentError(absl::StrCat("at most ", kMaxClaims, " claims can be set"));
  }
  for (const auto& [name, value] : claims) {
    if (!IsAttributeName(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "claim name '", name, "' must be 1-128 letters, digits or '_' (e.g. extension_Role)"));
    }
    for (std::string_view reserved : kReserved) {
      if (name == reserved) {
        return absl::InvalidArgumentError(
            absl::StrCat("'", name, "' is a field of the connector answer, not a claim"));
      }
    }
    if (const auto* text = std::get_if<std::string>(&value);
        text != nullptr && text->size() > kMaxStringLength) {
      return absl::InvalidArgumentError(
          absl::StrCat("claim '", name, "' is longer than ", kMaxStringLength, " bytes"));
    }
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::core
