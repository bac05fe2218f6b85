#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace gatehouse::cli {

// The per-user config file: $XDG_CONFIG_HOME/gatehouse/reviewer.toml, or
// ~/.config/gatehouse/reviewer.toml; "" when neither variable is set.
std::string DefaultConfigPath();

// The reviewer's token, by the documented precedence: --token-file (`flag_file`), then
// GATEHOUSE_TOKEN, then GATEHOUSE_TOKEN_FILE, then token_file of the config file
// (`config_file`). Warns on `warnings` about a token file other users can read.
absl::StatusOr<std::string> ResolveToken(const std::optional<std::string>& flag_file,
                                         const std::string& config_file, std::ostream& warnings);

}  // namespace gatehouse::cli
