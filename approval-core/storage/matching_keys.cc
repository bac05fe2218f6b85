#include "storage/matching_keys.h"

#include <string>

namespace gatehouse::core {

MatchingKey EmailKey(std::string_view normalized_email) {
  return Sha256(std::string("email:").append(normalized_email));
}

MatchingKey IdentityKey(std::string_view issuer, std::string_view issuer_assigned_id) {
  // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
  std::string input("identity:");
  input.append(issuer).push_back('\0');
  input.append(issuer_assigned_id);
  return Sha256(input);
}

}  // namespace gatehouse::core
