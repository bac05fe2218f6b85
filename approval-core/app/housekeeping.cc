#include "app/housekeeping.h"

#include <spdlog/spdlog.h>

namespace gatehouse::core {
namespace {

// Batches keep housekeeping from holding the writer for long.
constexpr int kBatch = 200;

// Runs `step(kBatch)` until it does less than a batch; returns the total, or -1 on error.
template <typename Step>
int Drain(Step step, const char* what, const std::atomic<bool>& stopping) {
  int total = 0;
  while (!stopping) {
    auto done = step(kBatch);
    if (!done.ok()) {
      spdlog::error("{} failed: {}", what, done.status().ToString());
      return -1;
    }
    total += *done;
    if (*done < kBatch) break;
  }
  return total;
}

}  // namespace

void RunHousekeeping(ApprovalService& approvals, const std::atomic<bool>& stopping) {
  const int expired = Drain([&](int n) { return approvals.ExpireOverdue(n); }, "expiry", stopping);
  if (expired > 0) spdlog::info("expired {} pending request(s) nobody decided in time", expired);
  const int purged = Drain([&](int n) { return approvals.PurgeOverdue(n); }, "purge", stopping);
  if (purged > 0) spdlog::info("purged the personal data of {} decided request(s)", purged);
}

}  // namespace gatehouse::core
