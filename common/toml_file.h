#pragma once

#include <toml++/toml.h>

#include <string>

#include "absl/status/statusor.h"

namespace gatehouse {

// The TOML file at `path`. INVALID_ARGUMENT naming the file, the problem and its line for a
// file that does not parse or cannot be read.
absl::StatusOr<toml::table> ReadTomlFile(const std::string& path);

}  // namespace gatehouse
