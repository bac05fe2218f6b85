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

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
    db.exec("PRAGMA journal_mode = WAL");
    // FULL: the WAL is synced on every commit, so "recorded" survives power loss.
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    if (absl::Status migrated = MigrateSchema(db); !migrated.ok()) return migrated;
    return std::unique_ptr<SqliteConnection>(new SqliteConnection(std::move(db)));
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("cannot open database ", path, ": ", e.what()));
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
