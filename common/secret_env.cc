#include "common/secret_env.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace gatehouse {

absl::StatusOr<std::string> ReadSecret(const std::string& name) {
  if (const char* value = std::getenv(name.c_str()); value != nullptr && *value != '\0') {
    return std::string(value);
  }
  const std::string file_variable = name + "_FILE";
  const char* path = std::getenv(file_variable.c_str());
  if (path == nullptr || *path == '\0') {
    return absl::NotFoundError(absl::StrCat("set ", name, " or ", file_variable));
  }
  auto secret = ReadSecretFile(path);
  if (!secret.ok()) {
    return absl::UnavailableError(absl::StrCat("cannot read the ", file_variable, " file"));
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
