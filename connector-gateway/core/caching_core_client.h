#pragma once

#include "core/core_client.h"
#include "core/decision_cache.h"

namespace gatehouse::gateway {

// A CoreClient that answers hook 1 from the DecisionCache when it can and asks `core`
// otherwise. Hook 2 always goes to the core (it records the attempt) and then empties the
// cache, so this gateway never answers from before its own hook 2. Only decisions are kept,
// never failures, so an unreachable core still means a fail-closed block.
class CachingCoreClient final : public CoreClient {
 public:
  CachingCoreClient(CoreClient& core, DecisionCache& cache) : core_(core), cache_(cache) {}

  absl::StatusOr<Decision> Decide(Hook hook, const ApplicantClaims& claims,
                                  std::chrono::milliseconds deadline) override;
  absl::Status Ready() override { return core_.Ready(); }

 private:
  CoreClient& core_;
  DecisionCache& cache_;
};

// Everything the core is told about the applicant, as one unambiguous string: two requests
// share a kept answer only if the core would have been asked exactly the same.
std::string CacheKey(const ApplicantClaims& claims);

}  // namespace gatehouse::gateway
