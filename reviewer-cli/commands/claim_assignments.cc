#include "commands/claim_assignments.h"

#include <charconv>

namespace gatehouse::cli {
namespace {

bool ParseTyped(const std::string& text, approval::v1::ClaimValue* value) {
  if (text == "true" || text == "false") {
    value->set_bool_value(text == "true");
    return true;
  }
  const char* end = text.data() + text.size();
  int64_t integer = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, integer);
      ec == std::errc() && ptr == end && !text.empty()) {
    value->set_integer_value(integer);
    return true;
  }
  double number = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, number);
      ec == std::errc() && ptr == end && !text.empty()) {
    value->set_number_value(number);
    return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<ClaimMap> ParseClaimAssignments(const std::vector<std::string>& assignments) {
  ClaimMap claims;
  for (const std::string& assignment : assignments) {
    const size_t equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
      return absl::InvalidArgumentError("--set '" + assignment +
                                        "' must be name=text or name:=number|true|false");
    }
    const bool typed = assignment[equals - 1] == ':';
    const std::string name = assignment.substr(0, typed ? equals - 1 : equals);
    const std::string text = assignment.substr(equals + 1);
    if (name.empty()) return absl::InvalidArgumentError("--set '" + assignment + "' has no name");
    if (claims.contains(name)) {
      return absl::InvalidArgumentError("--set gives '" + name + "' twice");
    }
    approval::v1::ClaimValue value;
    if (!typed) {
      value.set_string_value(text);
    } else if (!ParseTyped(text, &value)) {
      return absl::InvalidArgumentError("--set '" + assignment +
                                        "': after ':=' give an integer, a number, true or false");
    }
    claims[name] = value;
  }
  return claims;
}

}  // namespace gatehouse::cli
