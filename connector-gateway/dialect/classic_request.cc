#include "dialect/classic_request.h"

#include <array>
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/strings/str_cat.h"
#include "dialect/identities.h"
#include "dialect/json_limits.h"

namespace gatehouse::gateway {
namespace {

using nlohmann::json;

// Claims this dialect interprets; everything else is passed on untouched.
constexpr std::array<std::string_view, 11> kKnownClaims = {
    "email",    "email_address", "identities", "displayName", "givenName", "surname",
    "lastName", "ui_locales",    "client_id",  "clientId",    "step"};

bool IsKnown(std::string_view key) {
  for (std::string_view known : kKnownClaims) {
    if (known == key) return true;
  }
  return false;
}

// Reads the first present of `names` as a string. Absent or null: nullopt.
absl::StatusOr<std::optional<std::string>> StringClaim(const json& body,
                                                       std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_string()) {
      return absl::InvalidArgumentError(absl::StrCat("claim '", name, "' must be a string"));
    }
    return it->get<std::string>();
  }
  return std::nullopt;
}

// "de-AT, en;q=0.8" or "de-AT en" -> "de-AT".
std::string FirstLocale(std::string_view ui_locales) {
  const size_t end = ui_locales.find_first_of(" ,;");
  return std::string(ui_locales.substr(0, end));
}

}  // namespace

absl::StatusOr<ApplicantClaims> ParseClassicRequest(std::string_view body_text) {
  auto parsed = ParseJsonObject(body_text);
  if (!parsed.ok()) return parsed.status();
  const json& body = *parsed;

  ApplicantClaims claims;
  struct Field {
    std::initializer_list<const char*> names;
    std::string* target;
  };
  const std::array<Field, 7> fields = {{
      {{"email", "email_address"}, &claims.email},
      {{"displayName"}, &claims.display_name},
      {{"givenName"}, &claims.given_name},
      {{"surname", "lastName"}, &claims.surname},
      {{"client_id", "clientId"}, &claims.client_id},
      {{"step"}, &claims.step},
      {{"ui_locales"}, &claims.locale},
  }};
  for (const Field& field : fields) {
    auto value = StringClaim(body, field.names);
    if (!value.ok()) return value.status();
    if (*value) *field.target = **value;
  }
  claims.locale = FirstLocale(claims.locale);
  if (auto identities = body.find("identities"); identities != body.end()) {
    if (absl::Status s = ReadIdentities(*identities, &claims.identities); !s.ok()) return s;
  }

  json others = json::object();
  for (const auto& [key, value] : body.items()) {
    if (!IsKnown(key)) others[key] = value;
  }
  claims.other_claims_json = others.dump();
  return claims;
}

}  // namespace gatehouse::gateway
