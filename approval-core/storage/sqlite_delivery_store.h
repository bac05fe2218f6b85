#pragma once

#include "domain/request_store.h"
#include "notify/delivery_store.h"
#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// DeliveryStore on the same SQLite database as the requests. Reads go to the read-only
// connections, so a scrape never holds up a commit. Advance, a few times a second under load,
// joins the requests' next group commit: no sync of its own beside hook 2's batches. The rare
// writes (a new target, a failure, a 410, `notify retry`) take the writer connection directly.
class SqliteDeliveryStore final : public DeliveryStore {
 public:
  // `requests` commits on `connection`: Advance joins its group commits.
  SqliteDeliveryStore(SqliteConnection& connection, RequestStore& requests)
      : connection_(connection), requests_(requests) {}

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
  RequestStore& requests_;
};

}  // namespace gatehouse::core
