#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace gatehouse::core {

// Prepared statements of one connection, kept for reuse (compiling SQL costs more than running
// it: bench/FINDINGS.md). Not thread-safe: use it under the connection's mutex.
class StatementCache {
 public:
  // A statement borrowed from the cache; reset and unbound when the lease ends, so the next
  // borrower starts clean and no read transaction is held open by a half-read result.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    SQLite::Statement& operator*() { return *statement_; }
    SQLite::Statement* operator->() { return statement_; }

   private:
    friend class StatementCache;
    Lease(SQLite::Statement* statement, bool* in_use, std::unique_ptr<SQLite::Statement> owned);

    SQLite::Statement* statement_;
    bool* in_use_;  // the cache entry's flag; null for a one-off statement
    std::unique_ptr<SQLite::Statement> owned_;
  };

  explicit StatementCache(SQLite::Database& db) : db_(db) {}

  // The statement for `sql`, compiled on first use. A statement already lent out (a nested
  // use of the same SQL) or one beyond the cache's bound is compiled for this lease alone.
  // Throws SQLite::Exception for SQL that does not compile.
  Lease Get(std::string_view sql);

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  // Every SQL text we issue is fixed or built from a handful of shapes; the bound is a guard.
  static constexpr size_t kMaxEntries = 64;

  SQLite::Database& db_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace gatehouse::core
