#pragma once

#include <SQLiteCpp/Database.h>

#include "absl/status/status.h"

namespace gatehouse::core {

// Brings the schema up to the newest version, one numbered migration at a time, each in its
// own transaction; the version is kept in PRAGMA user_version.
absl::Status MigrateSchema(SQLite::Database& db);

// The schema version this build writes.
int LatestSchemaVersion();

}  // namespace gatehouse::core
