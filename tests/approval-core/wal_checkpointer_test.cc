// WalCheckpointer: checkpoints leave the committing thread, and the WAL still starts over.
#include "storage/wal_checkpointer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <filesystem>
#include <string>
#include <thread>

#include "test_support.h"

namespace gatehouse::core {
namespace {

using testing::TempDatabase;

constexpr int kPageSize = 4096;
// A WAL frame is a page and a 24-byte header, after the WAL's 32-byte header.
uintmax_t WalBytes(int pages) { return 32 + static_cast<uintmax_t>(pages) * (kPageSize + 24); }

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_.exec("PRAGMA journal_mode = WAL");
    writer_.exec("PRAGMA synchronous = FULL");
    writer_.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
  }

  // `count` commits of one row each, a page or so apiece.
  void Commit(int count) {
    SQLite::Statement insert(writer_, "INSERT INTO t (payload) VALUES (zeroblob(3000))");
    for (int i = 0; i < count; ++i) {
      insert.exec();
      insert.reset();
    }
  }

  uintmax_t FileSize(const std::string& suffix) const {
    std::error_code missing;
    const uintmax_t size = std::filesystem::file_size(db_.path() + suffix, missing);
    return missing ? 0 : size;
  }

  TempDatabase db_;
  SQLite::Database writer_{db_.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
};

TEST_F(WalCheckpointerTest, CopiesTheWalBackOnItsOwnThread) {
  // No backstop: whatever reaches the database file was copied by the checkpointer's thread.
  auto checkpointer = WalCheckpointer::Start(writer_, 20, INT_MAX);
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();
  const uintmax_t before = FileSize("");
  Commit(200);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (FileSize("") < before + 100 * kPageSize && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GE(FileSize(""), before + 100 * kPageSize);
  EXPECT_GE((*checkpointer)->runs(), 1u);
}

TEST_F(WalCheckpointerTest, TheWalStartsOverAtTheBackstopAndAfterwards) {
  {
    auto checkpointer = WalCheckpointer::Start(writer_, 20, 200);
    ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();
    Commit(3000);
    // A backstop checkpoint may find the thread's running and wait for the next commit.
    EXPECT_LE(FileSize("-wal"), WalBytes(300));
  }
  // Stopped: SQLite's own automatic checkpoint is back, at the backstop.
  Commit(3000);
  EXPECT_LE(FileSize("-wal"), WalBytes(300));
  SQLite::Database reader(db_.path(), SQLite::OPEN_READONLY);
  EXPECT_EQ(reader.execAndGet("SELECT count(*) FROM t").getInt(), 6000);
  EXPECT_EQ(reader.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

}  // namespace
}  // namespace gatehouse::core
