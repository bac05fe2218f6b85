#include "auth/token_secrets.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "common/base64.h"
#include "common/sha256.h"

namespace gatehouse::core {

std::string GenerateTokenSecret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return "gh_" + EncodeBase64Url(
                     std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string HashToken(std::string_view secret) { return Sha256Hex(secret); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gatehouse::core
