#include "json/claims_json.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

namespace gatehouse::core {

absl::Status ParseClaimsJson(Applicant& applicant) {
  if (applicant.claims_json.empty()) applicant.claims_json = "{}";
  const auto claims = nlohmann::json::parse(applicant.claims_json, nullptr, false);
  if (claims.is_discarded() || !claims.is_object()) {
    return absl::InvalidArgumentError("applicant.claims_json must be a JSON object");
  }
  applicant.claims.clear();
  for (const auto& [name, value] : claims.items()) {
    if (value.is_string()) {
      applicant.claims.emplace(name, value.get<std::string>());
    } else if (value.is_boolean()) {
      applicant.claims.emplace(name, value.get<bool>());
    } else if (value.is_number_integer() &&
               !(value.is_number_unsigned() &&
                 value.get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()})) {
      applicant.claims.emplace(name, value.get<int64_t>());
    } else if (value.is_number()) {  // and integers beyond int64
      applicant.claims.emplace(name, value.get<double>());
    }
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::core
