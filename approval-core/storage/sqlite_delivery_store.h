#pragma once

#include "notify/delivery_store.h"
#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// DeliveryStore on the same SQLite connection (and mutex) as the requests; its reads go to the
// read-only connections, so a scrape never holds up a commit. Its writes are a
// few a second at most (a position moves once per batch of events), so they take the
// connection directly rather than the requests' group commit.
class SqliteDeliveryStore final : public DeliveryStore {
 public:
  explicit SqliteDeliveryStore(SqliteConnection& connection) : connection_(connection) {}

  absl::StatusOr<DeliveryState> Open(std::string_view target, int64_t start_position) override;
  absl::StatusOr<std::vector<DeliveryState>> List() override;
  absl::Status Advance(std::string_view target, int64_t position, int64_t delivered) override;
  absl::Status RecordFailure(const FailedDelivery& failure) override;
  absl::Status Disable(std::string_view target, absl::Time when, std::string_view reason) override;
  absl::StatusOr<std::vector<FailedDelivery>> ListFailures(std::string_view target) override;
  absl::StatusOr<int64_t> RequestRetry(std::string_view target) override;
  absl::Status ClearFailure(std::string_view target, int64_t revision) override;
  absl::StatusOr<DeliveryBacklog> Backlog(int64_t position) override;
  absl::StatusOr<int64_t> LatestRevision() override;

 private:
  SqliteConnection& connection_;
};

}  // namespace gatehouse::core
