// The coalescing VFS against real files: what SQLite commits through it is in the file for every
// other connection and process, whole, however large, and however the writer ends.
#include "storage/coalescing_vfs.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "test_support.h"

namespace gatehouse::core {
namespace {

using testing::TempDatabase;

SQLite::Database OpenCoalescing(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000,
                      CoalescingVfsName());
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA journal_mode = WAL");
  return db;
}

int64_t Count(SQLite::Database& db) { return db.execAndGet("SELECT count(*) FROM t").getInt64(); }

TEST(CoalescingVfsTest, EachCommitIsInTheFileForAConnectionOnTheDefaultVfs) {
  TempDatabase file;
  SQLite::Database writer = OpenCoalescing(file.path());
  writer.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  SQLite::Database reader(file.path(), SQLite::OPEN_READONLY);
  for (int n = 1; n <= 200; ++n) {
    SQLite::Transaction transaction(writer);
    SQLite::Statement insert(writer, "INSERT INTO t (n, body) VALUES (?, ?)");
    insert.bind(1, n);
    insert.bind(2, std::string(3000, static_cast<char>('a' + n % 26)));
    insert.exec();
    transaction.commit();
    ASSERT_EQ(Count(reader), n);
  }
  EXPECT_EQ(reader.execAndGet("SELECT body FROM t WHERE n = 200").getString(),
            std::string(3000, static_cast<char>('a' + 200 % 26)));
}

// Larger than the VFS holds back, and than the default VFS takes in one write (128 KiB).
TEST(CoalescingVfsTest, ATransactionOfMegabytesIsWrittenWhole) {
  TempDatabase file;
  {
    SQLite::Database writer = OpenCoalescing(file.path());
    writer.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, body BLOB NOT NULL)");
    SQLite::Transaction transaction(writer);
    SQLite::Statement insert(writer, "INSERT INTO t (n, body) VALUES (?, zeroblob(?))");
    for (int n = 1; n <= 10; ++n) {
      insert.bind(1, n);
      insert.bind(2, 300 * 1024);
      insert.exec();
      insert.reset();
    }
    transaction.commit();
    writer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  SQLite::Database reader(file.path(), SQLite::OPEN_READONLY);
  EXPECT_EQ(Count(reader), 10);
  EXPECT_EQ(reader.execAndGet("SELECT sum(length(body)) FROM t").getInt64(), 10 * 300 * 1024);
  EXPECT_EQ(reader.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// A writer that ends without closing anything (as under kill -9) leaves every commit it
// made: nothing committed waits in the VFS.
TEST(CoalescingVfsTest, AWriterThatDiesAbruptlyLeavesEveryCommit) {
  TempDatabase file;
  {
    SQLite::Database setup = OpenCoalescing(file.path());
    setup.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Only async-signal-safe exits from here: _exit skips every destructor and close.
    try {
      SQLite::Database writer = OpenCoalescing(file.path());
      for (int n = 1; n <= 50; ++n) {
        writer.exec("INSERT INTO t (n, body) VALUES (" + std::to_string(n) + ", 'x')");
      }
      // Begun and never committed: must not show up.
      writer.exec("BEGIN");
      writer.exec("INSERT INTO t (n, body) VALUES (51, 'uncommitted')");
      _exit(0);
    } catch (...) {
      _exit(1);
    }
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  SQLite::Database reader(file.path(), SQLite::OPEN_READWRITE);  // recovers the WAL
  EXPECT_EQ(Count(reader), 50);
  EXPECT_EQ(reader.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

}  // namespace
}  // namespace gatehouse::core
