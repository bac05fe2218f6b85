#include "storage/sqlite_request_store.h"

#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <exception>

#include "absl/strings/str_cat.h"
#include "storage/sqlite_request_repository.h"

namespace gatehouse::core {
namespace {

absl::Status FromSqliteError(const SQLite::Exception& e) {
  const int code = e.getErrorCode();
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL || code == SQLITE_IOERR ||
      code == SQLITE_READONLY || code == SQLITE_CANTOPEN) {
    return absl::UnavailableError(absl::StrCat("database unavailable: ", e.what()));
  }
  return absl::InternalError(absl::StrCat("database error: ", e.what()));
}

absl::Status FromException(const std::exception& e) {
  if (const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&e)) {
    return FromSqliteError(*sqlite);
  }
  return absl::InternalError(absl::StrCat("storage failure: ", e.what()));
}

}  // namespace

SqliteRequestStore::SqliteRequestStore(SqliteConnection& connection)
    : connection_(connection), writer_([this](std::vector<GroupCommitWriter::Queued>& batch) {
        return CommitBatch(batch);
      }) {}

void SqliteRequestStore::TransactAllAsync(std::vector<Transaction> transactions) {
  writer_.Submit(std::move(transactions));
}

void SqliteRequestStore::SetEventListener(std::function<void()> listener) {
  writer_.SetEventListener(std::move(listener));
}

absl::Status SqliteRequestStore::Read(absl::FunctionRef<absl::Status(RequestRepository&)> work) {
  try {
    return connection_.Read([&](SqliteConnection& reader) {
      SqliteRequestRepository repository(reader);
      return work(repository);
    });
  } catch (const std::exception& e) {
    return FromException(e);
  }
}

bool SqliteRequestStore::CommitBatch(std::vector<GroupCommitWriter::Queued>& batch) {
  std::lock_guard lock(connection_.mutex());
  bool appended_events = false;
  try {
    SQLite::Transaction transaction(connection_.db(), SQLite::TransactionBehavior::IMMEDIATE);
    StatementCache& statements = connection_.statements();
    for (GroupCommitWriter::Queued& queued : batch) {
      statements.Get("SAVEPOINT work")->exec();
      SqliteRequestRepository repository(connection_);
      try {
        queued.result = queued.transaction.work(repository);
      } catch (const std::exception& e) {
        queued.result = FromException(e);
      }
      if (!queued.result.ok()) statements.Get("ROLLBACK TO work")->exec();
      statements.Get("RELEASE work")->exec();
      appended_events = appended_events || (queued.result.ok() && repository.appended_events());
    }
    transaction.commit();
    return appended_events;
  } catch (const std::exception& e) {
    // Nothing of the batch is durable: every caller hears why, even those whose work was fine.
    const absl::Status failure = FromException(e);
    for (GroupCommitWriter::Queued& queued : batch) {
      if (queued.result.ok()) queued.result = failure;
    }
  }
  return false;  // nothing committed
}

}  // namespace gatehouse::core
