#pragma once

#include <functional>

#include "domain/request_store.h"
#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// RequestStore on SQLite. Transactions take the connection's mutex for their whole length
// (see SqliteConnection for the threading model) and start with BEGIN IMMEDIATE so a
// concurrent writer in another process makes us wait rather than fail half-way.
class SqliteRequestStore final : public RequestStore {
 public:
  explicit SqliteRequestStore(SqliteConnection& connection) : connection_(connection) {}

  absl::Status Transact(absl::FunctionRef<absl::Status(RequestRepository&)> work) override;

  // Called, outside the lock, after each commit that appended to the audit log (watchers).
  void SetEventListener(std::function<void()> listener) { listener_ = std::move(listener); }

 private:
  SqliteConnection& connection_;
  std::function<void()> listener_;
};

}  // namespace gatehouse::core
