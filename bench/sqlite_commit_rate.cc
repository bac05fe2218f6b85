// gatehouse-sqlite-commit-rate: the benchmark's storage baseline. How many durable
// transactions of one small insert each SQLite commits per second on this disk, with the
// settings approval-core uses (WAL, synchronous=FULL). Prints {"commits_per_s": …}.
#include <SQLiteCpp/SQLiteCpp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <exception>
#include <filesystem>
#include <iostream>

#include "database_files.h"

int main(int argc, char** argv) {
  std::string directory;
  double seconds = 3;
  CLI::App app{"gatehouse-sqlite-commit-rate: raw durable one-insert commits per second"};
  app.add_option("--dir", directory, "directory on the disk to measure")->required();
  app.add_option("--seconds", seconds);
  CLI11_PARSE(app, argc, argv);

  const std::filesystem::path path = std::filesystem::path(directory) / "commit-rate.db";
  gatehouse::bench::RemoveDatabaseFiles(path);
  try {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT NOT NULL, created INTEGER)");
    SQLite::Statement insert(db, "INSERT INTO t (email, created) VALUES (?, ?)");
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    int64_t commits = 0;
    while (std::chrono::steady_clock::now() < end) {
      SQLite::Transaction transaction(db);
      insert.bind(1, "applicant-" + std::to_string(commits) + "@example.com");
      insert.bind(2, commits);
      insert.exec();
      insert.reset();
      transaction.commit();
      ++commits;
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "{\"commits_per_s\":" << static_cast<double>(commits) / elapsed << "}"
              << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "cannot measure commits in " << path << ": " << e.what() << "\n";
    gatehouse::bench::RemoveDatabaseFiles(path);
    return 1;
  }
  gatehouse::bench::RemoveDatabaseFiles(path);
  return 0;
}
