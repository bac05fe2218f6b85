#include "app/policy_file.h"

#include "absl/strings/str_cat.h"
#include "common/toml_file.h"

namespace gatehouse::core {
namespace {

absl::StatusOr<ClaimValue> ToClaimValue(const toml::node& node) {
  if (auto s = node.as_string()) return ClaimValue(s->get());
  if (auto i = node.as_integer()) return ClaimValue(int64_t{i->get()});
  if (auto f = node.as_floating_point()) return ClaimValue(f->get());
  if (auto b = node.as_boolean()) return ClaimValue(b->get());
  return absl::InvalidArgumentError("must be a string, number or boolean");
}

absl::StatusOr<PolicyRule> ReadRule(const toml::table& table, const std::string& where) {
  PolicyRule rule;
  std::optional<std::string> claim;
  std::optional<ClaimValue> equals;
  for (const auto& [key_node, value] : table) {
    const std::string key(key_node.str());
    const auto fail = [&](const std::string& what) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": '", key, "' ", what));
    };
    const auto text = [&]() -> absl::StatusOr<std::string> {
      if (auto s = value.as_string()) return s->get();
      return fail("must be a string");
    };
    if (key == "name" || key == "email" || key == "email_domain" || key == "issuer" ||
        key == "claim" || key == "action") {
      auto s = text();
      if (!s.ok()) return s.status();
      if (key == "name") rule.name = *s;
      if (key == "email") rule.email = *s;
      if (key == "email_domain") rule.email_domain = *s;
      if (key == "issuer") rule.issuer = *s;
      if (key == "claim") claim = *s;
      if (key == "action") {
        if (*s == "approve") {
          rule.action = PolicyAction::kApprove;
        } else if (*s == "deny") {
          rule.action = PolicyAction::kDeny;
        } else if (*s == "review") {
          rule.action = PolicyAction::kReview;
        } else {
          return fail("must be approve, deny or review");
        }
      }
    } else if (key == "include_subdomains") {
      auto b = value.as_boolean();
      if (!b) return fail("must be true or false");
      rule.include_subdomains = b->get();
    } else if (key == "equals") {
      auto v = ToClaimValue(value);
      if (!v.ok()) return fail(std::string(v.status().message()));
      equals = *v;
    } else {
      return fail(
          "is not a rule key (name, action, email, email_domain, include_subdomains, "
          "issuer, claim, equals)");
    }
  }
  if (!table.contains("action")) return absl::InvalidArgumentError(where + " needs an action");
  if (claim.has_value() != equals.has_value()) {
    return absl::InvalidArgumentError(where + ": 'claim' and 'equals' go together");
  }
  if (claim) rule.claim_equals = std::make_pair(*claim, *equals);
  if (rule.include_subdomains && !rule.email_domain) {
    return absl::InvalidArgumentError(where + ": 'include_subdomains' needs 'email_domain'");
  }
  return rule;
}

}  // namespace

absl::StatusOr<Policy> LoadPolicyFile(const std::string& path) {
  if (path.empty()) return Policy();
  auto file = ReadTomlFile(path);
  if (!file.ok()) return file.status();
  const toml::node* rules = file->get("rule");
  if (rules == nullptr) return Policy();
  const toml::array* array = rules->as_array();
  if (array == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("config file ", path, ": rules are written as [[rule]] tables"));
  }
  std::vector<PolicyRule> parsed;
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string where = absl::StrCat("config file ", path, ": rule ", i + 1, " (line ",
                                           (*array)[i].source().begin.line, ")");
    const toml::table* table = (*array)[i].as_table();
    if (table == nullptr) return absl::InvalidArgumentError(where + " must be a table");
    auto rule = ReadRule(*table, where);
    if (!rule.ok()) return rule.status();
    parsed.push_back(*std::move(rule));
  }
  auto policy = Policy::Create(std::move(parsed));
  if (!policy.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("config file ", path, ": ", std::string(policy.status().message())));
  }
  return policy;
}

}  // namespace gatehouse::core
