#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace gatehouse {

// Reads a secret from the environment variable `name`, or else from the file named by
// `name`_FILE (e.g. a systemd credential), without its trailing newline. Secrets never come
// from the command line, where any local user could read them in /proc.
// NOT_FOUND if neither is set; INVALID_ARGUMENT, naming the variable, if the one set is empty
// (or its file is); UNAVAILABLE if the file cannot be read.
absl::StatusOr<std::string> ReadSecret(const std::string& name);

// The secret in the file at `path`, without its trailing newline. UNAVAILABLE if the file
// cannot be read; the message names the file but never its content.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path);

}  // namespace gatehouse
