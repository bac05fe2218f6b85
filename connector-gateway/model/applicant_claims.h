#pragma once

#include <string>
#include <vector>

namespace gatehouse::gateway {

struct Identity {
  std::string sign_in_type;
  std::string issuer;
  std::string issuer_assigned_id;
};

// What a connector request says about the applicant, independent of the wire dialect.
struct ApplicantClaims {
  std::string email;
  std::vector<Identity> identities;
  std::string display_name;
  std::string given_name;
  std::string surname;
  std::string locale;  // first of ui_locales, e.g. "de-AT"
  std::string client_id;
  std::string step;                      // B2C only; empty when not sent
  std::string other_claims_json = "{}";  // every claim not named above, types preserved
};

}  // namespace gatehouse::gateway
