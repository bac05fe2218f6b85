#include "storage/sqlite_delivery_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace gatehouse::core {
namespace {

constexpr const char* kWhat = "notification store";
constexpr const char* kStateColumns =
    "SELECT name, position, delivered, failed, disabled_us, disabled_reason FROM notify_targets";

DeliveryState ReadState(SQLite::Statement& row) {
  DeliveryState state{.target = row.getColumn(0).getString(),
                      .position = row.getColumn(1).getInt64(),
                      .delivered = row.getColumn(2).getInt64(),
                      .failed = row.getColumn(3).getInt64(),
                      .disabled_reason = row.getColumn(5).getString()};
  if (!row.getColumn(4).isNull())
    state.disabled = absl::FromUnixMicros(row.getColumn(4).getInt64());
  return state;
}

absl::Status NoSuchTarget(std::string_view target) {
  return absl::NotFoundError(absl::StrCat("no notification target '", std::string(target),
                                          "' has run against this database"));
}

}  // namespace

absl::StatusOr<DeliveryState> SqliteDeliveryStore::Open(std::string_view target,
                                                        int64_t start_position) {
  return connection_.Locked(kWhat, [&]() -> absl::StatusOr<DeliveryState> {
    SQLite::Statement insert(connection_.db(),
                             "INSERT INTO notify_targets (name, position) VALUES (?, ?) "
                             "ON CONFLICT (name) DO NOTHING");
    insert.bind(1, std::string(target));
    insert.bind(2, start_position);
    insert.exec();
    SQLite::Statement select(connection_.db(), std::string(kStateColumns) + " WHERE name = ?");
    select.bind(1, std::string(target));
    select.executeStep();
    return ReadState(select);
  });
}

absl::StatusOr<std::vector<DeliveryState>> SqliteDeliveryStore::List() {
  return connection_.Reading(
      kWhat, [&](SqliteConnection& reader) -> absl::StatusOr<std::vector<DeliveryState>> {
        SQLite::Statement select(reader.db(), std::string(kStateColumns) + " ORDER BY name");
        std::vector<DeliveryState> states;
        while (select.executeStep()) states.push_back(ReadState(select));
        return states;
      });
}

absl::Status SqliteDeliveryStore::Advance(std::string_view target, int64_t position,
                                          int64_t delivered) {
  // The work runs on the writer connection inside the batch's transaction, under its mutex.
  return requests_.Transact([&](RequestRepository&) -> absl::Status {
    SQLite::Statement update(connection_.db(),
                             "UPDATE notify_targets SET position = max(position, ?), "
                             "delivered = delivered + ? WHERE name = ?");
    update.bind(1, position);
    update.bind(2, delivered);
    update.bind(3, std::string(target));
    if (update.exec() == 0) return NoSuchTarget(target);
    return absl::OkStatus();
  });
}

absl::Status SqliteDeliveryStore::RecordFailure(const FailedDelivery& failure) {
  return connection_.Locked(kWhat, [&]() -> absl::Status {
    SQLite::Transaction transaction(connection_.db());
    SQLite::Statement insert(
        connection_.db(),
        "INSERT INTO notify_failures (target, revision, failed_us, attempts, error) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (target, revision) DO UPDATE SET "
        "failed_us = excluded.failed_us, attempts = excluded.attempts, error = excluded.error, "
        "retry_requested = 0");
    insert.bind(1, failure.target);
    insert.bind(2, failure.revision);
    insert.bind(3, absl::ToUnixMicros(failure.failed_at));
    insert.bind(4, failure.attempts);
    insert.bind(5, failure.error);
    insert.exec();
    SQLite::Statement count(connection_.db(),
                            "UPDATE notify_targets SET failed = failed + 1 WHERE name = ?");
    count.bind(1, failure.target);
    count.exec();
    transaction.commit();
    return absl::OkStatus();
  });
}

absl::Status SqliteDeliveryStore::Disable(std::string_view target, absl::Time when,
                                          std::string_view reason) {
  return connection_.Locked(kWhat, [&]() -> absl::Status {
    SQLite::Statement update(
        connection_.db(),
        "UPDATE notify_targets SET disabled_us = ?, disabled_reason = ? WHERE name = ?");
    update.bind(1, absl::ToUnixMicros(when));
    update.bind(2, std::string(reason));
    update.bind(3, std::string(target));
    if (update.exec() == 0) return NoSuchTarget(target);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<FailedDelivery>> SqliteDeliveryStore::ListFailures(
    std::string_view target) {
  return connection_.Reading(
      kWhat, [&](SqliteConnection& reader) -> absl::StatusOr<std::vector<FailedDelivery>> {
        SQLite::Statement select(reader.db(),
                                 "SELECT revision, failed_us, attempts, error, retry_requested "
                                 "FROM notify_failures WHERE target = ? ORDER BY revision");
        select.bind(1, std::string(target));
        std::vector<FailedDelivery> failures;
        while (select.executeStep()) {
          failures.push_back({.target = std::string(target),
                              .revision = select.getColumn(0).getInt64(),
                              .failed_at = absl::FromUnixMicros(select.getColumn(1).getInt64()),
                              .attempts = select.getColumn(2).getInt(),
                              .error = select.getColumn(3).getString(),
                              .retry_requested = select.getColumn(4).getInt() != 0});
        }
        return failures;
      });
}

absl::StatusOr<int64_t> SqliteDeliveryStore::RequestRetry(std::string_view target) {
  return connection_.Locked(kWhat, [&]() -> absl::StatusOr<int64_t> {
    SQLite::Transaction transaction(connection_.db());
    SQLite::Statement enable(
        connection_.db(),
        "UPDATE notify_targets SET disabled_us = NULL, disabled_reason = '' WHERE name = ?");
    enable.bind(1, std::string(target));
    if (enable.exec() == 0) return NoSuchTarget(target);
    SQLite::Statement mark(connection_.db(),
                           "UPDATE notify_failures SET retry_requested = 1 WHERE target = ?");
    mark.bind(1, std::string(target));
    const int64_t marked = mark.exec();
    transaction.commit();
    return marked;
  });
}

absl::Status SqliteDeliveryStore::ClearFailure(std::string_view target, int64_t revision) {
  return connection_.Locked(kWhat, [&]() -> absl::Status {
    SQLite::Statement remove(connection_.db(),
                             "DELETE FROM notify_failures WHERE target = ? AND revision = ?");
    remove.bind(1, std::string(target));
    remove.bind(2, revision);
    remove.exec();
    return absl::OkStatus();
  });
}

absl::StatusOr<DeliveryBacklog> SqliteDeliveryStore::Backlog(int64_t position) {
  return connection_.Reading(
      kWhat, [&](SqliteConnection& reader) -> absl::StatusOr<DeliveryBacklog> {
        SQLite::Statement select(reader.db(),
                                 "SELECT count(*), min(time_us) FROM events WHERE revision > ?");
        select.bind(1, position);
        select.executeStep();
        DeliveryBacklog backlog{.events = select.getColumn(0).getInt64()};
        if (!select.getColumn(1).isNull()) {
          backlog.oldest = absl::FromUnixMicros(select.getColumn(1).getInt64());
        }
        return backlog;
      });
}

absl::StatusOr<int64_t> SqliteDeliveryStore::LatestRevision() {
  return connection_.Reading(kWhat, [&](SqliteConnection& reader) -> absl::StatusOr<int64_t> {
    return reader.db().execAndGet("SELECT coalesce(max(revision), 0) FROM events").getInt64();
  });
}

}  // namespace gatehouse::core
