#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/role.h"

namespace gatehouse::core {

// A stored API token. The secret itself is never stored, only its SHA-256.
struct TokenRecord {
  std::string name;  // recorded as the actor in the audit log
  Role role = Role::kReader;
  std::string hash;  // lower-case hex SHA-256 of the secret
  absl::Time created;
  std::optional<absl::Time> revoked;
};

class TokenStore {
 public:
  virtual ~TokenStore() = default;
  // ALREADY_EXISTS if a token (even a revoked one) has that name.
  virtual absl::Status Insert(const TokenRecord& token) = 0;
  // The unrevoked token with this hash, or nullopt.
  virtual absl::StatusOr<std::optional<TokenRecord>> FindActiveByHash(std::string_view hash) = 0;
  virtual absl::StatusOr<std::vector<TokenRecord>> List() = 0;
  // NOT_FOUND if no unrevoked token has that name.
  virtual absl::Status Revoke(std::string_view name, absl::Time when) = 0;
};

}  // namespace gatehouse::core
