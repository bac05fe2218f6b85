#include "dialect/extension_request.h"

#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dialect/identities.h"
#include "dialect/json_limits.h"

namespace gatehouse::gateway {
namespace {

using nlohmann::json;

constexpr std::string_view kStartSuffix = "attributeCollectionStart";
constexpr std::string_view kSubmitSuffix = "attributeCollectionSubmit";

// The value of an object member, or null.
const json& Member(const json& object, std::string_view name) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(name);
  return it == object.end() ? kNull : *it;
}

std::string StringMember(const json& object, std::string_view name) {
  const json& value = Member(object, name);
  return value.is_string() ? value.get<std::string>() : "";
}

// "…attributeCollectionStart" / "…onAttributeCollectionStartCalloutData" and the submit forms.
std::optional<Hook> EventOf(std::string_view type) {
  if (type.ends_with(kStartSuffix) || type.ends_with("onAttributeCollectionStartCalloutData")) {
    return Hook::kCheckApproval;
  }
  if (type.ends_with(kSubmitSuffix) || type.ends_with("onAttributeCollectionSubmitCalloutData")) {
    return Hook::kRequestApproval;
  }
  return std::nullopt;
}

// The value inside an attribute envelope, multi-values as one comma-separated string.
absl::StatusOr<json> AttributeValue(const std::string& name, const json& attribute) {
  const bool envelope = attribute.is_object() && attribute.contains("value");
  if (attribute.is_object() && !envelope) {
    return absl::InvalidArgumentError(absl::StrCat("attribute '", name, "' has no value"));
  }
  const json& value = envelope ? attribute["value"] : attribute;
  if (!value.is_array()) return value;
  std::vector<std::string> parts;
  for (const json& part : value) {
    if (!part.is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat("attribute '", name, "' must hold strings when it is a list"));
    }
    parts.push_back(part.get<std::string>());
  }
  return json(absl::StrJoin(parts, ","));
}

// "/tenants/<tenant>/applications/<app id>" -> "<app id>".
std::string ApplicationOf(std::string_view source) {
  constexpr std::string_view kMarker = "/applications/";
  const size_t at = source.find(kMarker);
  if (at == std::string_view::npos) return "";
  std::string_view app = source.substr(at + kMarker.size());
  return std::string(app.substr(0, app.find('/')));
}

}  // namespace

absl::StatusOr<ExtensionRequest> ParseExtensionRequest(std::string_view body_text) {
  auto parsed = ParseJsonObject(body_text);
  if (!parsed.ok()) return parsed.status();
  const json& body = *parsed;
  const json& data = Member(body, "data");
  if (!data.is_object()) return absl::InvalidArgumentError("body has no 'data' object");

  ExtensionRequest request;
  // One Microsoft page spells it @odata.Type.
  std::string data_type = StringMember(data, "@odata.type");
  if (data_type.empty()) data_type = StringMember(data, "@odata.Type");
  request.event = EventOf(StringMember(body, "type"));
  if (!request.event) request.event = EventOf(data_type);
  request.tenant_id = StringMember(data, "tenantId");

  ApplicantClaims& claims = request.claims;
  const json& context = Member(data, "authenticationContext");
  claims.locale = StringMember(Member(context, "client"), "locale");
  claims.client_id = ApplicationOf(StringMember(body, "source"));
  if (claims.client_id.empty()) {
    claims.client_id = StringMember(Member(context, "clientServicePrincipal"), "appId");
  }

  const json& sign_up = Member(data, "userSignUpInfo");
  if (absl::Status s = ReadIdentities(Member(sign_up, "identities"), &claims.identities); !s.ok()) {
    return s;
  }
  const json& attributes = Member(sign_up, "attributes");
  if (!attributes.is_null() && !attributes.is_object()) {
    return absl::InvalidArgumentError("'userSignUpInfo.attributes' must be an object");
  }
  const std::map<std::string, std::string*> named = {{"email", &claims.email},
                                                     {"displayName", &claims.display_name},
                                                     {"givenName", &claims.given_name},
                                                     {"surname", &claims.surname}};
  json others = json::object();
  if (attributes.is_object()) {
    for (const auto& [name, attribute] : attributes.items()) {
      auto value = AttributeValue(name, attribute);
      if (!value.ok()) return value.status();
      if (value->is_null()) continue;
      auto target = named.find(name);
      if (target == named.end()) {
        others[name] = *std::move(value);
      } else if (!value->is_string()) {
        return absl::InvalidArgumentError(absl::StrCat("attribute '", name, "' must be a string"));
      } else {
        *target->second = value->get<std::string>();
      }
    }
  }
  // The `email` sign-in identity is the address Entra verified by one-time code; a form
  // attribute is whatever the applicant typed, so it never stands in for it (design.md §4).
  // A typed address that differs is kept with the other claims for the reviewer to see.
  for (const Identity& identity : claims.identities) {
    if (identity.sign_in_type != "email" || identity.issuer_assigned_id.empty()) continue;
    if (!claims.email.empty() && claims.email != identity.issuer_assigned_id) {
      others["email"] = claims.email;
    }
    claims.email = identity.issuer_assigned_id;
    break;
  }
  claims.other_claims_json = others.dump();
  return request;
}

}  // namespace gatehouse::gateway
