#include "core/caching_core_client.h"

#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {
namespace {

// Length-prefixed, so no value can pass for a field boundary.
void Append(std::string& key, const std::string& value) {
  absl::StrAppend(&key, value.size(), ":", value);
}

}  // namespace

std::string CacheKey(const ApplicantClaims& claims) {
  std::string key;
  for (const std::string* field :
       {&claims.email, &claims.display_name, &claims.given_name, &claims.surname, &claims.locale,
        &claims.client_id, &claims.step, &claims.other_claims_json}) {
    Append(key, *field);
  }
  absl::StrAppend(&key, claims.identities.size(), "#");
  for (const Identity& identity : claims.identities) {
    Append(key, identity.sign_in_type);
    Append(key, identity.issuer);
    Append(key, identity.issuer_assigned_id);
  }
  return key;
}

absl::StatusOr<Decision> CachingCoreClient::Decide(Hook hook, const ApplicantClaims& claims,
                                                   std::chrono::milliseconds deadline) {
  if (hook != Hook::kCheckApproval) {
    absl::StatusOr<Decision> decision = core_.Decide(hook, claims, deadline);
    // Hook 2 may have changed the applicant's request (even if the answer got lost on the
    // way). The core's notice says so too, but this gateway's next hook 1 for the applicant
    // may come before it arrives.
    cache_.Changed();
    return decision;
  }
  const std::string key = CacheKey(claims);
  if (auto kept = cache_.Find(key, DecisionCache::Clock::now())) return *std::move(kept);
  // Taken before asking: a change committed while the core answers voids this answer.
  const std::optional<uint64_t> ticket = cache_.Ticket();
  absl::StatusOr<Decision> decision = core_.Decide(hook, claims, deadline);
  if (decision.ok() && ticket) {
    cache_.Keep(key, *ticket, *decision, DecisionCache::Clock::now());
  }
  return decision;
}

}  // namespace gatehouse::gateway
