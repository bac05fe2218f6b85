#include "bearer/jwk_set.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/base64.h"
#include "common/openssl_ptr.h"

namespace gatehouse::gateway {
namespace {

using nlohmann::json;

using Bignum = OpenSslPtr<BIGNUM, BN_free>;
using ParamBuilder = OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using Params = OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free>;
using KeyContext = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;

Bignum ToBignum(const std::string& bytes) {
  return Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr));
}

std::string StringField(const json& key, const char* name) {
  auto it = key.find(name);
  return it != key.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

absl::StatusOr<PublicKey> RsaPublicKey(std::string_view n_base64url, std::string_view e_base64url) {
  const auto n_bytes = DecodeBase64Url(n_base64url);
  const auto e_bytes = DecodeBase64Url(e_base64url);
  if (!n_bytes || !e_bytes || n_bytes->empty() || e_bytes->empty()) {
    return absl::InvalidArgumentError("RSA key with a malformed modulus or exponent");
  }
  // Below 2048 bits RS256 is not safe; Entra's keys are 2048 bits.
  if (n_bytes->size() < 256) return absl::InvalidArgumentError("RSA key shorter than 2048 bits");
  Bignum n = ToBignum(*n_bytes), e = ToBignum(*e_bytes);
  ParamBuilder builder(OSSL_PARAM_BLD_new());
  KeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!builder || !n || !e || !context ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return absl::InvalidArgumentError("RSA key that OpenSSL cannot use");
  }
  Params params(OSSL_PARAM_BLD_to_param(builder.get()));
  EVP_PKEY* key = nullptr;
  if (!params || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 ||
      key == nullptr) {
    EVP_PKEY_free(key);  // (OpenSSL may leave one half-made)
    return absl::InvalidArgumentError("RSA key that OpenSSL cannot use");
  }
  return PublicKey(key, EVP_PKEY_free);
}

absl::StatusOr<JwkSet> JwkSet::Parse(std::string_view text) {
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object() || !document.contains("keys") ||
      !document["keys"].is_array()) {
    return absl::InvalidArgumentError("not a JSON Web Key Set (no \"keys\" array)");
  }
  JwkSet set;
  for (const json& key : document["keys"]) {
    if (!key.is_object() || StringField(key, "kty") != "RSA") continue;
    const std::string use = StringField(key, "use"), alg = StringField(key, "alg");
    if ((!use.empty() && use != "sig") || (!alg.empty() && alg != "RS256")) continue;
    const std::string kid = StringField(key, "kid");
    if (kid.empty()) continue;
    auto public_key = RsaPublicKey(StringField(key, "n"), StringField(key, "e"));
    if (public_key.ok()) set.keys_[kid] = *std::move(public_key);
  }
  if (set.keys_.empty()) {
    return absl::InvalidArgumentError("the key set holds no RSA signing key usable for RS256");
  }
  return set;
}

PublicKey JwkSet::Find(const std::string& kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : it->second;
}

}  // namespace gatehouse::gateway
