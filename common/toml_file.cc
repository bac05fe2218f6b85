#include "common/toml_file.h"

#include "absl/strings/str_cat.h"

namespace gatehouse {

absl::StatusOr<toml::table> ReadTomlFile(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrCat("config file ", path, ": ",
                                                   std::string(e.description()), " at line ",
                                                   e.source().begin.line));
  }
}

}  // namespace gatehouse
