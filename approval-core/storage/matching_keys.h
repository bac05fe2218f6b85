#pragma once

#include <string>
#include <string_view>

namespace gatehouse::core {

// Applicants are matched on SHA-256 keys of their normalized email and of each
// (issuer, issuerAssignedId) pair rather than on the values themselves, so a request whose
// personal data was purged still matches: a denied applicant stays blocked. The keys are
// pseudonymous, not anonymous (an email can be guessed and hashed), which the docs say.
std::string EmailKey(std::string_view normalized_email);
std::string IdentityKey(std::string_view issuer, std::string_view issuer_assigned_id);

}  // namespace gatehouse::core
