#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "http/basic_auth.h"

namespace gatehouse::gateway {

// Basic credentials Azure may use: the GATEHOUSE_BASIC_USERNAME/PASSWORD pair and the
// "username:password" lines of GATEHOUSE_BASIC_CREDENTIALS_FILE, all accepted, so a password
// can be rotated without downtime. Empty when none is configured.
// INVALID_ARGUMENT (naming the variable or line, never the secret) or NOT_FOUND for a file
// that cannot be read.
absl::StatusOr<std::vector<BasicCredentials>> ReadBasicCredentials();

}  // namespace gatehouse::gateway
