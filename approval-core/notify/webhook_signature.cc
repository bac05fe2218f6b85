#include "notify/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base64.h"

namespace gatehouse::core {

absl::StatusOr<std::string> ParseWebhookSecret(absl::string_view secret) {
  constexpr absl::string_view kPrefix = "whsec_";
  if (!absl::StartsWith(secret, kPrefix)) {
    return absl::InvalidArgumentError("a webhook secret starts with whsec_");
  }
  std::optional<std::string> key = DecodeBase64(std::string(secret.substr(kPrefix.size())));
  if (!key) return absl::InvalidArgumentError("a webhook secret is whsec_ and then base64");
  if (key->size() < 24 || key->size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a webhook secret's key must have 24 to 64 bytes, this one has ", key->size()));
  }
  return *std::move(key);
}

std::string SignWebhook(const std::vector<std::string>& keys, absl::string_view id,
                        int64_t timestamp, absl::string_view body) {
  const std::string signed_content = absl::StrCat(id, ".", timestamp, ".", body);
  std::string header;
  for (const std::string& key : keys) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(signed_content.data()), signed_content.size(), mac,
         &length);
    absl::StrAppend(&header, header.empty() ? "" : " ", "v1,",
                    EncodeBase64(std::string(reinterpret_cast<const char*>(mac), length)));
  }
  return header;
}

}  // namespace gatehouse::core
