#include "bearer/base64url.h"

#include "http/basic_auth.h"

namespace gatehouse::gateway {

std::optional<std::string> DecodeBase64Url(std::string_view encoded) {
  if (encoded.size() % 4 == 1) return std::nullopt;  // no byte count gives this length
  std::string standard;
  standard.reserve(encoded.size() + 2);
  for (char c : encoded) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      standard += c;
    } else if (c == '-') {
      standard += '+';
    } else if (c == '_') {
      standard += '/';
    } else {
      return std::nullopt;
    }
  }
  if (standard.empty()) return std::string();
  while (standard.size() % 4 != 0) standard += '=';
  std::string decoded;
  if (!DecodeBase64(standard, &decoded)) return std::nullopt;
  return decoded;
}

}  // namespace gatehouse::gateway
