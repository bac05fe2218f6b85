#include "http/basic_auth.h"

#include <openssl/crypto.h>

#include "common/base64.h"
#include "common/sha256.h"

namespace gatehouse::gateway {
namespace {

// Hashing first makes both sides 32 bytes, so neither the content nor the length of the
// secret leaks through timing.
bool DigestEquals(std::string_view a, std::string_view b) {
  const Sha256Digest da = Sha256(a);
  const Sha256Digest db = Sha256(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

}  // namespace

bool BasicAuthMatches(std::string_view header, const BasicCredentials& expected) {
  constexpr std::string_view kScheme = "Basic ";
  if (header.size() <= kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {  // the scheme is case-insensitive (RFC 7617)
    const char c = header[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const char want = (kScheme[i] >= 'A' && kScheme[i] <= 'Z')
                          ? static_cast<char>(kScheme[i] - 'A' + 'a')
                          : kScheme[i];
    if (lower != want) return false;
  }
  std::string_view encoded = header.substr(kScheme.size());
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  const std::optional<std::string> decoded_or = DecodeBase64(encoded);
  if (!decoded_or.has_value()) return false;
  const std::string& decoded = *decoded_or;
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  const std::string_view user = std::string_view(decoded).substr(0, colon);
  const std::string_view password = std::string_view(decoded).substr(colon + 1);
  // Both comparisons always run, so timing does not tell which part was wrong.
  const bool user_ok = DigestEquals(user, expected.username);
  const bool password_ok = DigestEquals(password, expected.password);
  return user_ok & password_ok;
}

}  // namespace gatehouse::gateway
