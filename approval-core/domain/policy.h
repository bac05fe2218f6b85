#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/applicant.h"
#include "domain/claim_value.h"

namespace gatehouse::core {

// What a matching rule does with a new applicant.
enum class PolicyAction {
  kApprove,  // create the request approved, by the rule
  kDeny,     // create the request denied, by the rule
  kReview,   // queue for a reviewer (explicitly, e.g. to exempt a subset of a later rule)
};

std::string_view ToString(PolicyAction action);

// One rule: every condition it sets must hold (at least one must be set).
struct PolicyRule {
  std::string name;  // recorded as the decider: "rule:<name>"
  PolicyAction action = PolicyAction::kReview;
  std::optional<std::string> email;         // exact, compared normalized
  std::optional<std::string> email_domain;  // part after '@', case-insensitive
  bool include_subdomains = false;          // email_domain also matches *.email_domain
  std::optional<std::string> issuer;        // any federated identity's issuer, exact
  std::optional<std::pair<std::string, ClaimValue>> claim_equals;  // a claim's value
};

// Ordered auto-approve / auto-deny rules (design.md §4): the first matching rule wins.
class Policy {
 public:
  Policy() = default;
  // INVALID_ARGUMENT naming the rule when one has no name, a duplicate name or no condition.
  static absl::StatusOr<Policy> Create(std::vector<PolicyRule> rules);

  // The first rule whose conditions all hold for `applicant` (normalized), or nullptr.
  const PolicyRule* FirstMatch(const Applicant& applicant) const;

  const std::vector<PolicyRule>& rules() const { return rules_; }

 private:
  explicit Policy(std::vector<PolicyRule> rules) : rules_(std::move(rules)) {}
  std::vector<PolicyRule> rules_;
};

// "rule:<name>", the actor recorded for a rule's decision.
std::string RuleActor(const PolicyRule& rule);

}  // namespace gatehouse::core
