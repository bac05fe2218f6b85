#include "app/expiry_sweeper.h"

#include <spdlog/spdlog.h>

namespace gatehouse::core {
namespace {

// Expire in batches so one sweep never holds the writer for long.
constexpr int kBatch = 200;

}  // namespace

ExpirySweeper::ExpirySweeper(ApprovalService& approvals, absl::Duration interval)
    : approvals_(approvals), interval_(interval), thread_([this] { Run(); }) {}

ExpirySweeper::~ExpirySweeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ExpirySweeper::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    SweepOnce();
    lock.lock();
    wake_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stopping_; });
  }
}

void ExpirySweeper::SweepOnce() {
  int total = 0;
  while (true) {
    auto expired = approvals_.ExpireOverdue(kBatch);
    if (!expired.ok()) {
      spdlog::error("expiry sweep failed: {}", expired.status().ToString());
      return;
    }
    total += *expired;
    if (*expired < kBatch) break;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
  }
  if (total > 0) spdlog::info("expired {} pending request(s) nobody decided in time", total);
}

}  // namespace gatehouse::core
