#pragma once

#include <string_view>

#include "common/sha256.h"

namespace gatehouse::core {

// Applicants are matched on SHA-256 keys of their normalized email and of each
// (issuer, issuerAssignedId) pair rather than on the values themselves, so a request whose
// personal data was purged still matches: a denied applicant stays blocked. The keys are
// pseudonymous, not anonymous (an email can be guessed and hashed), which the docs say.
//
// Stored as 32-byte BLOBs (schema migration 6), not as hex: half the pages for the one index
// that grows at random places (bench/FINDINGS.md). Being a distinct type, a key cannot be bound
// as text by mistake, which would match nothing.
using MatchingKey = Sha256Digest;

MatchingKey EmailKey(std::string_view normalized_email);
MatchingKey IdentityKey(std::string_view issuer, std::string_view issuer_assigned_id);

}  // namespace gatehouse::core
