#pragma once

#include <openssl/evp.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gatehouse::gateway {

using PublicKey = std::shared_ptr<EVP_PKEY>;

// The RSA signing keys of a JSON Web Key Set (RFC 7517), by key id, as Entra publishes them
// at https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys. Keys that are not RSA,
// not for signatures, or meant for another algorithm than RS256 are left out.
class JwkSet {
 public:
  // INVALID_ARGUMENT when `json` is not a key set or holds no usable key.
  static absl::StatusOr<JwkSet> Parse(std::string_view json);

  // nullptr when no key has this id.
  PublicKey Find(const std::string& kid) const;
  size_t size() const { return keys_.size(); }

 private:
  std::map<std::string, PublicKey> keys_;
};

// An RSA public key from its JWK modulus and exponent (base64url, big-endian).
absl::StatusOr<PublicKey> RsaPublicKey(std::string_view n_base64url, std::string_view e_base64url);

}  // namespace gatehouse::gateway
