#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "absl/status/status.h"
#include "model/applicant_claims.h"

namespace gatehouse::gateway {

// Reads an `identities` array ([{signInType, issuer, issuerAssignedId}], the same in both
// dialects) into `out`. Null is no identities; INVALID_ARGUMENT for any other shape.
absl::Status ReadIdentities(const nlohmann::json& identities, std::vector<Identity>* out);

}  // namespace gatehouse::gateway
