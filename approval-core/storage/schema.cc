#include "storage/schema.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "common/hex.h"
#include "storage/matching_keys.h"

namespace gatehouse::core {
namespace {

// Append only: a released migration is never edited, a change is a new entry.
// No WITHOUT ROWID tables: SQLite 3.40 (Debian 12) reports false "NULL value" integrity
// errors for them when a NOT NULL column is not part of the primary key.
// Migration 4 computes keys in C++, after its SQL has added the columns. It wrote them as hex,
// which migration 6 turns into bytes.
void BackfillMatchingKeys(SQLite::Database& db) {
  SQLite::Statement requests(db, "SELECT seq, email FROM requests WHERE email <> ''");
  SQLite::Statement set_email(db, "UPDATE requests SET email_key = ? WHERE seq = ?");
  while (requests.executeStep()) {
    set_email.bind(1, LowerHex(EmailKey(requests.getColumn(1).getString())));
    set_email.bind(2, requests.getColumn(0).getInt64());
    set_email.exec();
    set_email.reset();
  }
  SQLite::Statement identities(db,
                               "SELECT rowid, issuer, issuer_assigned_id FROM request_identities");
  SQLite::Statement set_identity(db,
                                 "UPDATE request_identities SET identity_key = ? WHERE rowid = ?");
  while (identities.executeStep()) {
    set_identity.bind(1, LowerHex(IdentityKey(identities.getColumn(1).getString(),
                                              identities.getColumn(2).getString())));
    set_identity.bind(2, identities.getColumn(0).getInt64());
    set_identity.exec();
    set_identity.reset();
  }
}

std::optional<MatchingKey> KeyFromHex(std::string_view hex) {
  MatchingKey key{};
  if (hex.size() != 2 * key.size()) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < key.size(); ++i) {
    const int high = digit(hex[2 * i]), low = digit(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    key[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return key;
}

// Copies each hex key of `table` into `to` as bytes. Keys are kept after a purge, when nothing
// is left to compute them again from, so one that is not hex stops the migration: the
// transaction rolls back and the database stays as it was.
void KeysToBytes(SQLite::Database& db, const std::string& table, const std::string& from,
                 const std::string& to) {
  SQLite::Statement rows(db, absl::StrCat("SELECT rowid, ", from, " FROM ", table, " WHERE ",
                                          from, " <> ''"));
  SQLite::Statement set(db, absl::StrCat("UPDATE ", table, " SET ", to, " = ? WHERE rowid = ?"));
  while (rows.executeStep()) {
    const std::optional<MatchingKey> key = KeyFromHex(rows.getColumn(1).getString());
    if (!key) {
      throw std::runtime_error(absl::StrCat(table, " row ", rows.getColumn(0).getInt64(), ": ",
                                            from, " is not a 64-digit hex key"));
    }
    set.bind(1, key->data(), static_cast<int>(key->size()));
    set.bind(2, rows.getColumn(0).getInt64());
    set.exec();
    set.reset();
  }
}

void MatchingKeysToBytes(SQLite::Database& db) {
  KeysToBytes(db, "requests", "email_key", "email_key_bytes");
  KeysToBytes(db, "request_identities", "identity_key", "identity_key_bytes");
}

struct Migration {
  const char* sql;
  void (*backfill)(SQLite::Database&) = nullptr;  // runs after `sql`, same transaction
  const char* after_backfill = nullptr;           // SQL run last, same transaction
};

const std::array<Migration, 9> kMigrations = {{
    // 1: requests, their identities, the audit log and API tokens.
    {R"sql(
CREATE TABLE requests (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  state           TEXT NOT NULL
                  CHECK (state IN ('pending','approved','denied','expired','revoked')),
  email           TEXT NOT NULL,
  display_name    TEXT NOT NULL,
  given_name      TEXT NOT NULL,
  surname         TEXT NOT NULL,
  claims_json     TEXT NOT NULL,
  locale          TEXT NOT NULL,
  client_id       TEXT NOT NULL,
  created_us      INTEGER NOT NULL,
  updated_us      INTEGER NOT NULL,
  decided_us      INTEGER,
  decided_by      TEXT NOT NULL,
  decision_reason TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  version         INTEGER NOT NULL
);
CREATE INDEX requests_by_email ON requests(email) WHERE email <> '';
CREATE INDEX requests_by_state ON requests(state, seq);
CREATE TABLE request_identities (
  request_seq        INTEGER NOT NULL REFERENCES requests(seq),
  sign_in_type       TEXT NOT NULL,
  issuer             TEXT NOT NULL,
  issuer_assigned_id TEXT NOT NULL,
  PRIMARY KEY (request_seq, issuer, issuer_assigned_id)
);
CREATE INDEX identities_by_key ON request_identities(issuer, issuer_assigned_id);
CREATE TABLE events (
  revision    INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id  TEXT NOT NULL,
  type        TEXT NOT NULL,
  actor       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  state_after TEXT NOT NULL,
  time_us     INTEGER NOT NULL
);
CREATE INDEX events_by_request ON events(request_id, revision);
CREATE TABLE tokens (
  name       TEXT PRIMARY KEY,
  role       TEXT NOT NULL CHECK (role IN ('connector','reviewer','reader')),
  hash       TEXT NOT NULL UNIQUE,
  created_us INTEGER NOT NULL,
  revoked_us INTEGER
);
)sql"},
    // 2: claims a reviewer sets on approval, returned on Continue. `value` keeps its SQLite
    // type (TEXT, INTEGER or REAL); `kind` tells booleans from integers.
    {R"sql(
CREATE TABLE request_returned_claims (
  request_seq INTEGER NOT NULL REFERENCES requests(seq),
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('string','integer','number','boolean')),
  value       NOT NULL,
  PRIMARY KEY (request_seq, name)
);
)sql"},
    // 3: when a request (re)entered pending, so expiry counts from a reopen, not the creation.
    {R"sql(
ALTER TABLE requests ADD COLUMN pending_since_us INTEGER;
UPDATE requests SET pending_since_us = created_us WHERE state = 'pending';
CREATE INDEX requests_pending_since ON requests(pending_since_us) WHERE state = 'pending';
)sql"},
    // 4: match on keys (see matching_keys.h) so purged requests still match; purge time.
    {R"sql(
ALTER TABLE requests ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN purged_us INTEGER;
ALTER TABLE request_identities ADD COLUMN identity_key TEXT NOT NULL DEFAULT '';
DROP INDEX requests_by_email;
DROP INDEX identities_by_key;
CREATE INDEX requests_by_email_key ON requests(email_key) WHERE email_key <> '';
CREATE INDEX identities_by_identity_key ON request_identities(identity_key);
CREATE INDEX requests_purgeable ON requests(decided_us)
  WHERE purged_us IS NULL AND decided_us IS NOT NULL;
)sql",
     &BackfillMatchingKeys},
    // 5: the audit log finds a request's events by its seq. Keyed on the random text id, a new
    // applicant's first event went to a random page of the index: one of 9 pages a commit of
    // one applicant wrote (counted with sqlite3_wal_hook), 3 of them at random places. New
    // seqs are the largest, so their entries now go where the last ones went: the store alone
    // records about 6 % more applicants per second. request_id stays: ListEvents returns it.
    {R"sql(
ALTER TABLE events ADD COLUMN request_seq INTEGER REFERENCES requests(seq);
UPDATE events SET request_seq = (SELECT seq FROM requests WHERE requests.id = events.request_id);
DROP INDEX events_by_request;
CREATE INDEX events_by_request_seq ON events(request_seq, revision);
)sql"},
    // 6: matching keys as their 32 bytes instead of 64 hex characters (see matching_keys.h),
    // and NULL rather than '' for a request without an email. Same column and index names.
    {R"sql(
ALTER TABLE requests ADD COLUMN email_key_bytes BLOB;
ALTER TABLE request_identities ADD COLUMN identity_key_bytes BLOB;
)sql",
     &MatchingKeysToBytes,
     R"sql(
DROP INDEX requests_by_email_key;
DROP INDEX identities_by_identity_key;
ALTER TABLE requests DROP COLUMN email_key;
ALTER TABLE request_identities DROP COLUMN identity_key;
ALTER TABLE requests RENAME COLUMN email_key_bytes TO email_key;
ALTER TABLE request_identities RENAME COLUMN identity_key_bytes TO identity_key;
CREATE INDEX requests_by_email_key ON requests(email_key) WHERE email_key IS NOT NULL;
CREATE INDEX identities_by_identity_key ON request_identities(identity_key);
)sql"},
    // 7: a decision belongs to the identity it was made for (design.md §4): an email matches
    // only when verified. Before, every email matched; the emails the new rule counts as
    // verified keep their matches: a local account's (no identity) and Entra's `email`
    // sign-in identity's. An issuer in verified_email_issuers counts from now on only.
    // same_email_as points reviewers at another request with the same address.
    {R"sql(
ALTER TABLE requests ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN same_email_as TEXT NOT NULL DEFAULT '';
UPDATE requests SET email_verified = 1
WHERE email_key IS NOT NULL
  AND (NOT EXISTS (SELECT 1 FROM request_identities i WHERE i.request_seq = requests.seq)
       OR EXISTS (SELECT 1 FROM request_identities i
                  WHERE i.request_seq = requests.seq AND i.sign_in_type = 'email'
                    AND lower(trim(i.issuer_assigned_id)) = requests.email));
)sql"},
    // 8: the audit log is append-only, for the database too.
    {R"sql(
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: events cannot be changed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: events cannot be deleted'); END;
)sql"},
    // 9: notifications. The audit log is the outbox; a target needs only its position in it,
    // and the events it refused for good.
    {R"sql(
CREATE TABLE notify_targets (
  name            TEXT PRIMARY KEY,
  position        INTEGER NOT NULL,
  delivered       INTEGER NOT NULL DEFAULT 0,
  failed          INTEGER NOT NULL DEFAULT 0,
  disabled_us     INTEGER,
  disabled_reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE notify_failures (
  target          TEXT NOT NULL REFERENCES notify_targets(name),
  revision        INTEGER NOT NULL,
  failed_us       INTEGER NOT NULL,
  attempts        INTEGER NOT NULL,
  error           TEXT NOT NULL,
  retry_requested INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (target, revision)
);
)sql"},
}};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

absl::Status MigrateSchema(SQLite::Database& db) {
  const int current = db.execAndGet("PRAGMA user_version").getInt();
  if (current > LatestSchemaVersion()) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", current, " is newer than this build supports (",
                     LatestSchemaVersion(), "); upgrade Gatehouse"));
  }
  for (int version = current + 1; version <= LatestSchemaVersion(); ++version) {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    // Re-read inside the write lock: another process may have migrated meanwhile.
    if (db.execAndGet("PRAGMA user_version").getInt() >= version) continue;
    const Migration& migration = kMigrations[static_cast<size_t>(version - 1)];
    db.exec(migration.sql);
    if (migration.backfill != nullptr) migration.backfill(db);
    if (migration.after_backfill != nullptr) db.exec(migration.after_backfill);
    db.exec(absl::StrCat("PRAGMA user_version = ", version));
    transaction.commit();
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::core
