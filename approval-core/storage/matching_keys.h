#pragma once

#include <string_view>

#include "common/sha256.h"

namespace gatehouse::core {

// Applicants are matched on SHA-256 keys of their normalized email and of each
// (issuer, issuerAssignedId) pair rather than on the values themselves, so a request whose
// personal data was purged still matches: a denied applicant stays blocked. The keys are
// pseudonymous, not anonymous (an email can be guessed and hashed), which the docs say.
//
// Stored as 32-byte BLOBs (schema migration 6), not as hex: every new applicant's email key
// goes to a random page of its index, the only index that grows that way, and at half the size
// that index is half as many pages to read and write. Hook 2 answered 4 to 11 % more applicants
// a second (bench/FINDINGS.md). Being a distinct type, a key cannot be bound as text by
// mistake, which would match nothing.
using MatchingKey = Sha256Digest;

MatchingKey EmailKey(std::string_view normalized_email);
MatchingKey IdentityKey(std::string_view issuer, std::string_view issuer_assigned_id);

}  // namespace gatehouse::core
