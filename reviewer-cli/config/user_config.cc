#include "config/user_config.h"

#include <sys/stat.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/secret_env.h"

namespace gatehouse::cli {
namespace {

absl::StatusOr<std::string> ReadTokenFile(const std::string& path, std::ostream& warnings) {
  struct stat info {};
  if (stat(path.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    warnings << "warning: the token file " << path << " can be read by other users; run 'chmod 600 "
             << path << "'\n";
  }
  auto token = ReadSecretFile(path);
  if (!token.ok()) return token.status();
  if (token->empty())
    return absl::NotFoundError(absl::StrCat("the token file ", path, " is empty"));
  return token;
}

}  // namespace

std::string DefaultConfigPath() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg == '/') {
    return absl::StrCat(xdg, "/gatehouse/reviewer.toml");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return absl::StrCat(home, "/.config/gatehouse/reviewer.toml");
  }
  return "";
}

absl::StatusOr<std::string> ResolveToken(const std::optional<std::string>& flag_file,
                                         const std::string& config_file, std::ostream& warnings) {
  if (flag_file) return ReadTokenFile(*flag_file, warnings);
  auto from_env = ReadSecret("GATEHOUSE_TOKEN");
  if (!absl::IsNotFound(from_env.status()) || config_file.empty()) return from_env;
  return ReadTokenFile(config_file, warnings);
}

}  // namespace gatehouse::cli
