#include "dialect/identities.h"

#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {

absl::Status ReadIdentities(const nlohmann::json& identities, std::vector<Identity>* out) {
  if (identities.is_null()) return absl::OkStatus();
  if (!identities.is_array()) return absl::InvalidArgumentError("'identities' must be an array");
  for (const nlohmann::json& entry : identities) {
    if (!entry.is_object()) {
      return absl::InvalidArgumentError("each entry of 'identities' must be an object");
    }
    Identity identity;
    for (auto [field, target] :
         {std::pair{"signInType", &identity.sign_in_type}, std::pair{"issuer", &identity.issuer},
          std::pair{"issuerAssignedId", &identity.issuer_assigned_id}}) {
      auto value = entry.find(field);
      if (value == entry.end() || value->is_null()) continue;
      if (!value->is_string()) {
        return absl::InvalidArgumentError(
            absl::StrCat("'identities[].", field, "' must be a string"));
      }
      *target = value->get<std::string>();
    }
    out->push_back(std::move(identity));
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::gateway
