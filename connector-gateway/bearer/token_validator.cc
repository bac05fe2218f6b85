#include "bearer/token_validator.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base64.h"
#include "common/bearer.h"
#include "common/openssl_ptr.h"

namespace gatehouse::gateway {
namespace {

using nlohmann::json;

constexpr size_t kMaxTokenBytes = 16 * 1024;

absl::Status Refuse(std::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token refused: ", std::string(why)));
}

// A JSON object from one base64url part of the token, or a discarded value.
json DecodePart(std::string_view part) {
  const auto bytes = DecodeBase64Url(part);
  if (!bytes) return json(json::value_t::discarded);
  json parsed = json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  return parsed.is_object() ? parsed : json(json::value_t::discarded);
}

bool VerifyRs256(EVP_PKEY* key, std::string_view signed_part, const std::string& signature) {
  const OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free> context(EVP_MD_CTX_new());
  return context != nullptr &&
         EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size()) == 1;
}

// A NumericDate claim (seconds since the epoch); nullopt when absent or not a number.
std::optional<absl::Time> TimeClaim(const json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end() || !it->is_number()) return std::nullopt;
  return absl::FromUnixSeconds(static_cast<int64_t>(it->get<double>()));
}

bool ContainsString(const std::vector<std::string>& allowed, const json& value) {
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  for (const std::string& candidate : allowed) {
    if (candidate == text) return true;
  }
  return false;
}

bool IsDnsLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  for (char c : label) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

}  // namespace

TokenValidator::TokenValidator(TokenPolicy policy, KeySource& keys)
    : policy_(std::move(policy)), keys_(keys) {}

bool TokenValidator::IsTenantIssuer(std::string_view issuer_view) const {
  const std::string issuer = absl::AsciiStrToLower(std::string(issuer_view));
  const std::string tenant = absl::AsciiStrToLower(policy_.tenant_id);
  if (issuer == absl::StrCat("https://login.microsoftonline.com/", tenant, "/v2.0") ||
      issuer == absl::StrCat("https://sts.windows.net/", tenant, "/")) {
    return true;
  }
  // https://{domain}.ciamlogin.com/{tenant}/v2.0, the domain being the tenant's own subdomain
  // (or its id).
  constexpr std::string_view kScheme = "https://";
  const std::string suffix = absl::StrCat(".ciamlogin.com/", tenant, "/v2.0");
  if (issuer.size() <= kScheme.size() + suffix.size() || !issuer.starts_with(kScheme) ||
      !issuer.ends_with(suffix)) {
    return false;
  }
  const size_t label_size = issuer.size() - kScheme.size() - suffix.size();
  return IsDnsLabel(std::string_view(issuer).substr(kScheme.size(), label_size));
}

absl::Status TokenValidator::Validate(std::string_view header, absl::Time now) const {
  const std::optional<std::string_view> bearer = BearerToken(header);
  if (!bearer.has_value()) return Refuse("no Authorization: Bearer header");
  const std::string_view token = *bearer;
  if (token.size() > kMaxTokenBytes) return Refuse("token too large");
  const size_t first_dot = token.find('.');
  const size_t second_dot =
      first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != token.npos) {
    return Refuse("not a signed JWT (three dot-separated parts)");
  }
  const json head = DecodePart(token.substr(0, first_dot));
  if (head.is_discarded()) return Refuse("malformed JWT header");
  // The algorithm is pinned, not taken from the token: "none" and HS256 (with the public key
  // as the HMAC secret) are the classic forgeries.
  const auto alg = head.find("alg");
  if (alg == head.end() || !alg->is_string() || *alg != "RS256") {
    return Refuse("algorithm is not RS256");
  }
  if (!head.contains("kid") || !head["kid"].is_string()) return Refuse("no key id (kid)");

  auto key = keys_.KeyFor(head["kid"].get<std::string>());
  if (!key.ok()) return Refuse(std::string(key.status().message()));
  const auto signature = DecodeBase64Url(token.substr(second_dot + 1));
  if (!signature || !VerifyRs256(key->get(), token.substr(0, second_dot), *signature)) {
    return Refuse("bad signature");
  }

  const json payload = DecodePart(token.substr(first_dot + 1, second_dot - first_dot - 1));
  if (payload.is_discarded()) return Refuse("malformed JWT payload");
  const absl::Duration skew = absl::FromChrono(policy_.clock_skew);
  const auto expires = TimeClaim(payload, "exp");
  if (!expires) return Refuse("no expiry (exp)");
  if (now >= *expires + skew) return Refuse("expired");
  if (const auto not_before = TimeClaim(payload, "nbf"); not_before && now < *not_before - skew) {
    return Refuse("not valid yet (nbf)");
  }
  const json audience = payload.value("aud", json());
  bool audience_ok = ContainsString(policy_.audiences, audience);
  if (audience.is_array()) {
    for (const json& entry : audience) {
      audience_ok = audience_ok || ContainsString(policy_.audiences, entry);
    }
  }
  if (!audience_ok) return Refuse("wrong audience (aud)");
  const json issuer = payload.value("iss", json());
  if (!issuer.is_string() || !IsTenantIssuer(issuer.get<std::string>())) {
    return Refuse("issuer (iss) is not this tenant");
  }
  if (payload.contains("tid") &&
      !absl::EqualsIgnoreCase(payload["tid"].is_string() ? payload["tid"].get<std::string>() : "",
                              policy_.tenant_id)) {
    return Refuse("another tenant (tid)");
  }
  // v2 tokens name the calling application in azp, v1 tokens in appid.
  const json caller = payload.contains("azp") ? payload["azp"] : payload.value("appid", json());
  if (!ContainsString(policy_.callers, caller)) return Refuse("not called by Entra (azp/appid)");
  return absl::OkStatus();
}

}  // namespace gatehouse::gateway
