#include "app/maintenance_command.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sys/stat.h>

#include <filesystem>
#include <iostream>
#include <vector>

#include "storage/schema.h"

namespace gatehouse::core {
namespace {

constexpr int kBusyTimeoutMs = 5000;

bool Exists(const std::string& path) {
  std::error_code ignored;
  return std::filesystem::exists(path, ignored);
}

}  // namespace

int RunBackup(const std::string& db, const std::string& to) {
  if (!Exists(db)) {
    std::cerr << "error: database " << db << " does not exist\n";
    return 1;
  }
  if (Exists(to)) {
    std::cerr << "error: " << to << " already exists; choose a new file name\n";
    return 1;
  }
  const std::string partial = to + ".partial";
  // A backup holds every applicant's personal data and the token hashes: readable by its
  // owner only, from its first byte (the umask covers the copy's -wal and -shm files too).
  const mode_t previous_umask = ::umask(077);
  struct RestoreUmask {
    mode_t mask;
    ~RestoreUmask() { ::umask(mask); }
  } restore{previous_umask};
  try {
    std::filesystem::remove(partial);
    SQLite::Database source(db, SQLite::OPEN_READONLY, kBusyTimeoutMs);
    {
      SQLite::Database target(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      SQLite::Backup backup(target, source);
      backup.executeStep(-1);  // one step: one consistent snapshot of the source
      // The copy keeps WAL mode; fold everything into the main file so it stands alone.
      target.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::filesystem::remove(partial + "-wal");
    std::filesystem::remove(partial + "-shm");
    std::filesystem::permissions(
        partial, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::filesystem::rename(partial, to);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    std::cerr << "error: backup of " << db << " failed: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "backup of " << db << " written to " << to << "\n";
  return 0;
}

int RunCheck(const std::string& db) {
  if (!Exists(db)) {
    std::cerr << "error: database " << db << " does not exist\n";
    return 1;
  }
  std::vector<std::string> problems;
  try {
    SQLite::Database database(db, SQLite::OPEN_READONLY, kBusyTimeoutMs);
    SQLite::Statement integrity(database, "PRAGMA integrity_check");
    while (integrity.executeStep()) {
      const std::string line = integrity.getColumn(0).getString();
      if (line != "ok") problems.push_back("integrity: " + line);
    }
    SQLite::Statement foreign_keys(database, "PRAGMA foreign_key_check");
    while (foreign_keys.executeStep()) {
      problems.push_back("foreign key: row " + foreign_keys.getColumn(1).getString() + " of " +
                         foreign_keys.getColumn(0).getString() + " points nowhere");
    }
    const int version = database.execAndGet("PRAGMA user_version").getInt();
    if (version > LatestSchemaVersion()) {
      problems.push_back("schema version " + std::to_string(version) +
                         " is newer than this build (" + std::to_string(LatestSchemaVersion()) +
                         ")");
    }
    if (problems.empty()) {
      const auto count = [&](const char* table) {
        return database.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64();
      };
      std::cout << "ok: schema version " << version
                << (version < LatestSchemaVersion() ? " (migrated at the next start)" : "") << ", "
                << count("requests") << " requests, " << count("events") << " audit events, "
                << count("tokens") << " tokens\n";
      return 0;
    }
  } catch (const std::exception& e) {
    problems.push_back(e.what());
  }
  for (const std::string& problem : problems) std::cout << "problem: " << problem << "\n";
  return 1;
}

void AddMaintenanceCommands(CLI::App& app, const std::string& default_db,
                            std::vector<Subcommand>& commands) {
  struct Arguments {
    std::string db, to;
  };
  auto args = std::make_shared<Arguments>(Arguments{.db = default_db});
  CLI::App* backup = app.add_subcommand("backup", "online, consistent copy of the database");
  AddDbOption(backup, args->db);
  backup->add_option("--to", args->to, "new file to write")->required();
  commands.push_back({backup, [args] { return RunBackup(args->db, args->to); }});
  CLI::App* check = app.add_subcommand("check", "verify the database's integrity (read-only)");
  AddDbOption(check, args->db);
  commands.push_back({check, [args] { return RunCheck(args->db); }});
}

}  // namespace gatehouse::core
