#include "domain/policy.h"

#include <set>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace gatehouse::core {
namespace {

std::string_view DomainOf(std::string_view email) {
  const size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

bool DomainMatches(std::string_view domain, std::string_view wanted, bool include_subdomains) {
  if (domain == wanted) return true;
  return include_subdomains && domain.size() > wanted.size() + 1 && domain.ends_with(wanted) &&
         domain[domain.size() - wanted.size() - 1] == '.';
}

// Numbers compare by value whether sent as integers or not; other types must match exactly.
bool ClaimEquals(const ClaimValue& actual, const ClaimValue& wanted) {
  const auto as_number = [](const ClaimValue& v) -> std::optional<double> {
    if (const auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return std::nullopt;
  };
  const auto a = as_number(actual), w = as_number(wanted);
  if (a && w) return *a == *w;
  return actual == wanted;
}

std::optional<ClaimValue> ClaimOf(const Applicant& applicant, const std::string& name) {
  if (name == "displayName") return ClaimValue(applicant.display_name);
  if (name == "givenName") return ClaimValue(applicant.given_name);
  if (name == "surname") return ClaimValue(applicant.surname);
  auto it = applicant.claims.find(name);
  if (it == applicant.claims.end()) return std::nullopt;
  return it->second;
}

bool Matches(const PolicyRule& rule, const Applicant& applicant) {
  if (rule.email && applicant.email != *rule.email) return false;
  if (rule.email_domain &&
      !DomainMatches(DomainOf(applicant.email), *rule.email_domain, rule.include_subdomains)) {
    return false;
  }
  if (rule.issuer) {
    bool any = false;
    for (const FederatedIdentity& identity : applicant.identities) {
      any = any || identity.issuer == *rule.issuer;
    }
    if (!any) return false;
  }
  if (rule.claim_equals) {
    auto actual = ClaimOf(applicant, rule.claim_equals->first);
    if (!actual || !ClaimEquals(*actual, rule.claim_equals->second)) return false;
  }
  return true;
}

}  // namespace

std::string_view ToString(PolicyAction action) {
  switch (action) {
    case PolicyAction::kApprove:
      return "approve";
    case PolicyAction::kDeny:
      return "deny";
    case PolicyAction::kReview:
      return "review";
  }
  return "review";
}

absl::StatusOr<Policy> Policy::Create(std::vector<PolicyRule> rules) {
  std::set<std::string> names;
  for (size_t i = 0; i < rules.size(); ++i) {
    PolicyRule& rule = rules[i];
    const std::string where = absl::StrCat("rule ", i + 1, rule.name.empty() ? "" : " '", rule.name,
                                           rule.name.empty() ? "" : "'");
    if (rule.name.empty()) return absl::InvalidArgumentError(where + " needs a name");
    if (!names.insert(rule.name).second) {
      return absl::InvalidArgumentError(where + ": the name is used twice");
    }
    if (!rule.email && !rule.email_domain && !rule.issuer && !rule.claim_equals) {
      return absl::InvalidArgumentError(
          where + " needs a condition (email, email_domain, issuer or claim)");
    }
    // Compare like the applicant's normalized email.
    if (rule.email) rule.email = NormalizeEmail(*rule.email);
    if (rule.email_domain) rule.email_domain = NormalizeEmail(*rule.email_domain);
  }
  return Policy(std::move(rules));
}

const PolicyRule* Policy::FirstMatch(const Applicant& applicant) const {
  for (const PolicyRule& rule : rules_) {
    if (Matches(rule, applicant)) return &rule;
  }
  return nullptr;
}

std::string RuleActor(const PolicyRule& rule) { return "rule:" + rule.name; }

}  // namespace gatehouse::core
