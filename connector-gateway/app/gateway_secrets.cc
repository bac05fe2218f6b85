#include "app/gateway_secrets.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/secret_env.h"

namespace gatehouse::gateway {

absl::StatusOr<std::vector<BasicCredentials>> ReadBasicCredentials() {
  std::vector<BasicCredentials> all;
  auto username = ReadSecret("GATEHOUSE_BASIC_USERNAME");
  auto password = ReadSecret("GATEHOUSE_BASIC_PASSWORD");
  for (const auto* secret : {&username, &password}) {
    if (!secret->ok() && !absl::IsNotFound(secret->status())) return secret->status();
  }
  if (username.ok() != password.ok()) {
    return absl::InvalidArgumentError(
        "set both GATEHOUSE_BASIC_USERNAME and GATEHOUSE_BASIC_PASSWORD, or neither");
  }
  if (username.ok()) all.push_back({*username, *password});
  if (const char* path = std::getenv("GATEHOUSE_BASIC_CREDENTIALS_FILE"); path != nullptr) {
    if (*path == '\0') {
      return absl::InvalidArgumentError("GATEHOUSE_BASIC_CREDENTIALS_FILE is set but empty");
    }
    std::ifstream file(path);
    if (!file) return absl::NotFoundError("cannot read GATEHOUSE_BASIC_CREDENTIALS_FILE");
    std::string line;
    for (int number = 1; std::getline(file, line); ++number) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line.front() == '#') continue;
      const size_t colon = line.find(':');  // passwords may contain ':'
      if (colon == std::string::npos || colon == 0 || colon + 1 == line.size()) {
        // The line itself may hold a secret: name only its number.
        return absl::InvalidArgumentError(absl::StrCat("GATEHOUSE_BASIC_CREDENTIALS_FILE line ",
                                                       number, " must be username:password"));
      }
      all.push_back({line.substr(0, colon), line.substr(colon + 1)});
    }
  }
  return all;
}

}  // namespace gatehouse::gateway
