#include "domain/applicant.h"

#include <algorithm>

namespace gatehouse::core {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string NormalizeEmail(std::string_view email) {
  while (!email.empty() && IsAsciiSpace(email.front())) email.remove_prefix(1);
  while (!email.empty() && IsAsciiSpace(email.back())) email.remove_suffix(1);
  std::string out(email);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Applicant Normalized(Applicant applicant) {
  applicant.email = NormalizeEmail(applicant.email);
  std::erase_if(applicant.identities, [](const FederatedIdentity& identity) {
    return identity.issuer.empty() || identity.issuer_assigned_id.empty();
  });
  if (applicant.claims_json.empty()) applicant.claims_json = "{}";
  return applicant;
}

bool EmailIsVerified(const Applicant& applicant,
                     const std::vector<std::string>& verified_email_issuers) {
  if (applicant.email.empty()) return false;
  if (applicant.identities.empty()) return true;
  return std::any_of(
      applicant.identities.begin(), applicant.identities.end(),
      [&](const FederatedIdentity& identity) {
        // Entra sends a local account's address as its `email` sign-in identity.
        if (identity.sign_in_type == "email" &&
            NormalizeEmail(identity.issuer_assigned_id) == applicant.email) {
          return true;
        }
        return std::find(verified_email_issuers.begin(), verified_email_issuers.end(),
                         identity.issuer) != verified_email_issuers.end();
      });
}

bool IsIdentifiable(const Applicant& applicant) {
  return !applicant.email.empty() || !applicant.identities.empty();
}

}  // namespace gatehouse::core
