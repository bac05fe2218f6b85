#pragma once

// Entra-style tokens for tests: a throw-away RSA key, its JWK, and JWTs signed with it.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/base64.h"

namespace gatehouse::testing {

class TestSigner {
 public:
  explicit TestSigner(std::string kid)
      : kid_(std::move(kid)), key_(EVP_RSA_gen(2048), EVP_PKEY_free) {
    if (!key_) throw std::runtime_error("RSA key generation failed");
  }

  const std::string& kid() const { return kid_; }

  // The public half as a JWK, as Entra publishes it.
  nlohmann::json Jwk() const {
    return {{"kty", "RSA"},
            {"use", "sig"},
            {"kid", kid_},
            {"n", BigNumber(OSSL_PKEY_PARAM_RSA_N)},
            {"e", BigNumber(OSSL_PKEY_PARAM_RSA_E)}};
  }

  // header.payload.signature with RS256, whatever `header` claims.
  std::string Sign(const nlohmann::json& header, const nlohmann::json& payload) const {
    const std::string signed_part =
        EncodeBase64Url(header.dump()) + "." + EncodeBase64Url(payload.dump());
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                    EVP_MD_CTX_free);
    size_t size = 0;
    EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get());
    EVP_DigestSign(context.get(), nullptr, &size,
                   reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
    std::string signature(size, '\0');
    EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                   reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
    signature.resize(size);
    return signed_part + "." + EncodeBase64Url(signature);
  }

  std::string Token(const nlohmann::json& payload) const {
    return Sign({{"typ", "JWT"}, {"alg", "RS256"}, {"kid", kid_}}, payload);
  }

 private:
  std::string BigNumber(const char* name) const {
    BIGNUM* number = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), name, &number);
    std::string bytes(static_cast<size_t>(BN_num_bytes(number)), '\0');
    BN_bn2bin(number, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(number);
    return EncodeBase64Url(bytes);
  }

  std::string kid_;
  std::shared_ptr<EVP_PKEY> key_;
};

inline std::string JwksOf(const std::vector<const TestSigner*>& signers) {
  nlohmann::json keys = nlohmann::json::array();
  for (const TestSigner* signer : signers) keys.push_back(signer->Jwk());
  return nlohmann::json{{"keys", keys}}.dump();
}

// The claims of a valid token from Entra's custom authentication extension service for
// `tenant` and `audience`, issued at `now` (seconds since the epoch), valid for an hour.
inline nlohmann::json EntraClaims(const std::string& tenant, const std::string& audience,
                                  int64_t now) {
  return {{"aud", audience},   {"iss", "https://login.microsoftonline.com/" + tenant + "/v2.0"},
          {"iat", now},        {"nbf", now},
          {"exp", now + 3600}, {"azp", "99045fe1-7639-4a75-9d4a-577b6ca3810f"},
          {"tid", tenant},     {"ver", "2.0"}};
}

}  // namespace gatehouse::testing
