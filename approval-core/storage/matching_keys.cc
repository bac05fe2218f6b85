#include "storage/matching_keys.h"

#include "common/sha256.h"

namespace gatehouse::core {

std::string EmailKey(std::string_view normalized_email) {
  return Sha256Hex(std::string("email:").append(normalized_email));
}

std::string IdentityKey(std::string_view issuer, std::string_view issuer_assigned_id) {
  // The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
  std::string input("identity:");
  input.append(issuer).push_back('\0');
  input.append(issuer_assigned_id);
  return Sha256Hex(input);
}

}  // namespace gatehouse::core
