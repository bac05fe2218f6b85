#include "common/secret_env.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace gatehouse {

absl::StatusOr<std::string> ReadSecret(const std::string& name) {
  // Set but empty is a mistake (a typo in a unit, an unexpanded variable), never "no secret":
  // taken as unset it could turn an authentication off.
  if (const char* value = std::getenv(name.c_str()); value != nullptr) {
    if (*value == '\0') return absl::InvalidArgumentError(absl::StrCat(name, " is set but empty"));
    return std::string(value);
  }
  const std::string file_variable = name + "_FILE";
  const char* path = std::getenv(file_variable.c_str());
  if (path == nullptr) return absl::NotFoundError(absl::StrCat("set ", name, " or ", file_variable));
  if (*path == '\0') {
    return absl::InvalidArgumentError(absl::StrCat(file_variable, " is set but empty"));
  }
  auto secret = ReadSecretFile(path);
  if (!secret.ok()) {
    return absl::UnavailableError(absl::StrCat("cannot read the ", file_variable, " file"));
  }
  if (secret->empty()) {
    return absl::InvalidArgumentError(absl::StrCat("the ", file_variable, " file is empty"));
  }
  return secret;
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::UnavailableError(absl::StrCat("cannot read ", path));
  std::stringstream content;
  content << file.rdbuf();
  std::string secret = content.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

}  // namespace gatehouse
