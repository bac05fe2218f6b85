#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "notify/delivery_store.h"

namespace gatehouse::core {

// Prometheus text (format 0.0.4) for the targets named: gatehouse_notify_backlog,
// gatehouse_notify_oldest_undelivered_seconds, gatehouse_notify_delivered_total,
// gatehouse_notify_failed_total and gatehouse_notify_disabled, each with a `target` label.
// Read from the database at each scrape, so the counters survive restarts. A target whose
// state cannot be read is left out (and the store's error is returned instead of nothing).
absl::StatusOr<std::string> RenderNotifyMetrics(DeliveryStore& store,
                                                const std::vector<std::string>& targets,
                                                absl::Time now);

}  // namespace gatehouse::core
