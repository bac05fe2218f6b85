#include "storage/sqlite_token_store.h"

#include <SQLiteCpp/Statement.h>

#include <exception>

#include "absl/strings/str_cat.h"

namespace gatehouse::core {
namespace {

absl::StatusOr<TokenRecord> ReadToken(SQLite::Statement& row) {
  TokenRecord token{.name = row.getColumn(0).getString(),
                    .hash = row.getColumn(2).getString(),
                    .created = absl::FromUnixMicros(row.getColumn(3).getInt64())};
  auto role = ParseRole(row.getColumn(1).getString());
  if (!role) return absl::DataLossError(absl::StrCat("token ", token.name, " has an unknown role"));
  token.role = *role;
  if (!row.getColumn(4).isNull()) token.revoked = absl::FromUnixMicros(row.getColumn(4).getInt64());
  return token;
}

}  // namespace

absl::Status SqliteTokenStore::Insert(const TokenRecord& token) {
  return connection_.Locked("token store", [&]() -> absl::Status {
    SQLite::Statement exists(connection_.db(), "SELECT 1 FROM tokens WHERE name = ?");
    exists.bind(1, token.name);
    if (exists.executeStep()) {
      return absl::AlreadyExistsError(
          absl::StrCat("a token named '", token.name, "' already exists (names are never reused)"));
    }
    SQLite::Statement insert(connection_.db(),
                             "INSERT INTO tokens (name, role, hash, created_us) VALUES (?,?,?,?)");
    insert.bind(1, token.name);
    insert.bind(2, std::string(ToString(token.role)));
    insert.bind(3, token.hash);
    insert.bind(4, absl::ToUnixMicros(token.created));
    insert.exec();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<TokenRecord>> SqliteTokenStore::FindActiveByHash(
    std::string_view hash) {
  // Every gRPC call comes here: on a reader, so it never waits for a write's fsync.
  absl::StatusOr<std::optional<TokenRecord>> found = std::nullopt;
  try {
    absl::Status read = connection_.Read([&](SqliteConnection& reader) {
      auto select = reader.statements().Get(
          "SELECT name, role, hash, created_us, revoked_us FROM tokens "
          "WHERE hash = ? AND revoked_us IS NULL");
      select->bind(1, std::string(hash));
      if (!select->executeStep()) return absl::OkStatus();
      auto token = ReadToken(*select);
      if (!token.ok()) return token.status();
      found = *std::move(token);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("token store: ", e.what()));
  }
  return found;
}

absl::StatusOr<std::vector<TokenRecord>> SqliteTokenStore::List() {
  return connection_.Locked("token store", [&]() -> absl::StatusOr<std::vector<TokenRecord>> {
    SQLite::Statement select(connection_.db(),
                             "SELECT name, role, hash, created_us, revoked_us FROM tokens "
                             "ORDER BY created_us, name");
    std::vector<TokenRecord> tokens;
    while (select.executeStep()) {
      auto token = ReadToken(select);
      if (!token.ok()) return token.status();
      tokens.push_back(*std::move(token));
    }
    return tokens;
  });
}

absl::Status SqliteTokenStore::Revoke(std::string_view name, absl::Time when) {
  return connection_.Locked("token store", [&]() -> absl::Status {
    SQLite::Statement update(
        connection_.db(), "UPDATE tokens SET revoked_us = ? WHERE name = ? AND revoked_us IS NULL");
    update.bind(1, absl::ToUnixMicros(when));
    update.bind(2, std::string(name));
    if (update.exec() == 0) {
      return absl::NotFoundError(absl::StrCat("no active token named '", std::string(name), "'"));
    }
    return absl::OkStatus();
  });
}

}  // namespace gatehouse::core
