#include "storage/sqlite_connection.h"

#include <sys/statvfs.h>

#include <exception>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "storage/schema.h"

namespace gatehouse::core {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Below this much free space the database counts as not writable: a new applicant takes a few
// pages, and a checkpoint may need more.
constexpr uint64_t kMinFreeBytes = 1024 * 1024;
// Enough for the callback threads and the reviewer calls to look up at once on 2-16 cores;
// more would only hold file descriptors and page caches.
constexpr int kMaxReaders = 8;

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
    // FULL: the WAL is synced on every commit, so "recorded" survives power loss.
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA foreign_keys = ON");
    // Checkpoint (copy the WAL back into the database file, and sync it) every 10,000 pages
    // instead of SQLite's 1,000: a page written many times in between is copied once. At 1,000
    // checkpoints took about a fifth of the writer's time under a stream of new applicants
    // (bench/run.sh). The WAL file grows to about 40 MB before it is reused.
    db.exec("PRAGMA wal_autocheckpoint = 10000");
    if (absl::Status migrated = MigrateSchema(db); !migrated.ok()) return migrated;
    return std::unique_ptr<SqliteConnection>(new SqliteConnection(std::move(db)));
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot open database ", path, ": ", e.what()));
  }
}

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::TakeReader() {
  std::unique_lock lock(readers_mutex_);
  reader_returned_.wait(lock,
                        [this] { return !idle_readers_.empty() || open_readers_ < kMaxReaders; });
  if (!idle_readers_.empty()) {
    std::unique_ptr<SqliteConnection> reader = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return reader;
  }
  ++open_readers_;
  lock.unlock();
  try {
    // Read-only at the SQLite level too: a bug that writes through a reader fails loudly.
    SQLite::Database db(db_.getFilename(), SQLite::OPEN_READONLY, kBusyTimeoutMs);
    return std::unique_ptr<SqliteConnection>(new SqliteConnection(std::move(db)));
  } catch (const std::exception& e) {
    lock.lock();
    --open_readers_;
    reader_returned_.notify_one();
    return absl::UnavailableError(absl::StrCat("cannot open a reader: ", e.what()));
  }
}

void SqliteConnection::ReturnReader(std::unique_ptr<SqliteConnection> reader) {
  std::lock_guard lock(readers_mutex_);
  idle_readers_.push_back(std::move(reader));
  reader_returned_.notify_one();
}

absl::Status SqliteConnection::Read(
    absl::FunctionRef<absl::Status(SqliteConnection& reader)> read) {
  auto reader = TakeReader();
  if (!reader.ok()) return reader.status();
  // Handed back however `read` ends, exceptions included.
  struct Return {
    SqliteConnection& owner;
    std::unique_ptr<SqliteConnection>& reader;
    ~Return() { owner.ReturnReader(std::move(reader)); }
  } give_back{*this, *reader};
  SqliteConnection& connection = **reader;
  // One snapshot for all of `read`'s statements; COMMIT of a read transaction writes nothing.
  // Both come prepared from the cache: every gRPC call reads here at least once (its token),
  // and compiling BEGIN and COMMIT anew each time was about 6 % of the core's gRPC threads
  // under hook 2 (perf).
  connection.statements_.Get("BEGIN")->exec();
  try {
    absl::Status status = read(connection);
    connection.statements_.Get("COMMIT")->exec();
    return status;
  } catch (...) {
    connection.db_.tryExec("ROLLBACK");
    throw;
  }
}

absl::Status SqliteConnection::ProbeWritable() {
  std::lock_guard lock(mutex_);
  try {
    db_.exec("BEGIN IMMEDIATE");
    db_.exec("ROLLBACK");
  } catch (const std::exception& e) {
    db_.tryExec("ROLLBACK");
    return absl::UnavailableError(e.what());
  }
  // The write lock alone says nothing about space: SQLite reuses its WAL file, so small
  // writes can still succeed on a full disk while a new applicant's cannot.
  const std::string directory = std::filesystem::path(db_.getFilename()).parent_path().string();
  struct statvfs fs {};
  if (statvfs(directory.empty() ? "." : directory.c_str(), &fs) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot inspect the file system of ", directory));
  }
  if ((fs.f_flag & ST_RDONLY) != 0) {
    return absl::UnavailableError(absl::StrCat("the file system of ", directory, " is read-only"));
  }
  const uint64_t free_bytes = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  if (free_bytes < kMinFreeBytes) {
    return absl::UnavailableError(
        absl::StrCat("the disk of ", directory, " is full (", free_bytes / 1024, " KiB free)"));
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::core
