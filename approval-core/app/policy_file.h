#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "domain/policy.h"

namespace gatehouse::core {

// Reads the policy rules from the [[rule]] tables of approval-core's TOML config file, in
// file order (first match wins):
//
//   [[rule]]
//   name = "employees"            # recorded as the decider, "rule:employees"
//   action = "approve"            # approve | deny | review
//   email_domain = "fabrikam.com" # conditions: email, email_domain (+ include_subdomains),
//   include_subdomains = true     #   issuer, claim + equals; all that are set must hold
//
// An empty path or a file without rules gives an empty policy. INVALID_ARGUMENT naming the
// rule and key for anything else unexpected.
absl::StatusOr<Policy> LoadPolicyFile(const std::string& path);

}  // namespace gatehouse::core
