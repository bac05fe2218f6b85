#include "storage/wal_checkpointer.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <exception>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gatehouse::core {

absl::StatusOr<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(SQLite::Database& writer,
                                                                        int step_pages,
                                                                        int backstop_pages) {
  try {
    SQLite::Database own(writer.getFilename(), SQLite::OPEN_READWRITE);
    // The database file is synced before the WAL may be overwritten, as on the writer.
    own.exec("PRAGMA synchronous = FULL");
    // Its own commits are none, but SQLite would still give it an automatic checkpoint.
    sqlite3_wal_autocheckpoint(own.getHandle(), 0);
    return std::unique_ptr<WalCheckpointer>(
        new WalCheckpointer(writer, std::move(own), step_pages, backstop_pages));
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot open a connection for checkpoints: ", e.what()));
  }
}

WalCheckpointer::WalCheckpointer(SQLite::Database& writer, SQLite::Database own, int step_pages,
                                 int backstop_pages)
    : writer_(writer),
      own_(std::move(own)),
      step_(step_pages),
      backstop_(backstop_pages),
      thread_([this] { Loop(); }) {
  // Replaces SQLite's automatic checkpoint, which is itself a WAL hook.
  sqlite3_wal_hook(writer_.getHandle(), &WalCheckpointer::AfterCommit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_autocheckpoint(writer_.getHandle(), backstop_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  due_.notify_one();
  thread_.join();
}

uint64_t WalCheckpointer::runs() const {
  std::lock_guard lock(mutex_);
  return runs_;
}

int WalCheckpointer::AfterCommit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  WalCheckpointer& checkpointer = *static_cast<WalCheckpointer*>(self);
  {
    std::lock_guard lock(checkpointer.mutex_);
    checkpointer.wal_pages_ = wal_pages;
    if (wal_pages < checkpointer.seen_) checkpointer.seen_ = 0;  // the WAL was started over
    if (wal_pages - checkpointer.seen_ >= checkpointer.step_) checkpointer.due_.notify_one();
  }
  if (wal_pages >= checkpointer.backstop_) {
    // As SQLite's own hook does. BUSY (this thread is checkpointing) or a failure: the next
    // commit tries again. The commit itself is done either way.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

void WalCheckpointer::Loop() {
  pthread_setname_np(pthread_self(), "wal-checkpoint");
  int last_error = SQLITE_OK;
  std::unique_lock lock(mutex_);
  while (true) {
    due_.wait(lock, [this] { return stopping_ || wal_pages_ - seen_ >= step_; });
    if (stopping_) return;
    seen_ = wal_pages_;
    ++runs_;
    lock.unlock();
    const int result =
        sqlite3_wal_checkpoint_v2(own_.getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr);
    // BUSY: the writer's backstop checkpoint is running, which does the same work.
    if (result != SQLITE_OK && result != SQLITE_BUSY && result != last_error) {
      spdlog::warn("background checkpoint failed: {}; the WAL file grows until it works",
                   sqlite3_errstr(result));
    } else if (result == SQLITE_OK && last_error != SQLITE_OK) {
      spdlog::info("background checkpoints work again");
    }
    if (result != SQLITE_BUSY) last_error = result;
    lock.lock();
  }
}

}  // namespace gatehouse::core
