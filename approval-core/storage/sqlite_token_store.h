#pragma once

#include "auth/token_store.h"
#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// TokenStore on the same SQLite connection (and mutex) as the requests.
class SqliteTokenStore final : public TokenStore {
 public:
  explicit SqliteTokenStore(SqliteConnection& connection) : connection_(connection) {}

  absl::Status Insert(const TokenRecord& token) override;
  absl::StatusOr<std::optional<TokenRecord>> FindActiveByHash(std::string_view hash) override;
  absl::StatusOr<std::vector<TokenRecord>> List() override;
  absl::Status Revoke(std::string_view name, absl::Time when) override;

 private:
  SqliteConnection& connection_;
};

}  // namespace gatehouse::core
