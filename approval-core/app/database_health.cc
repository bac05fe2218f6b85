#include "app/database_health.h"

#include <spdlog/spdlog.h>

namespace gatehouse::core {

void DatabaseHealth::Check() {
  const absl::Status probe = connection_.ProbeWritable();
  const bool serving = probe.ok();
  health_.SetServingStatus(serving);
  if (last_ != serving) {
    if (serving) {
      spdlog::info("database writable: health SERVING");
    } else {
      spdlog::error("database not writable, health NOT_SERVING: {}", probe.ToString());
    }
  }
  last_ = serving;
}

}  // namespace gatehouse::core
