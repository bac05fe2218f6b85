#include "app/housekeeping.h"

#include <spdlog/spdlog.h>

namespace gatehouse::core {
namespace {

// Work in batches so housekeeping never holds the writer for long.
constexpr int kBatch = 200;

}  // namespace

Housekeeping::Housekeeping(ApprovalService& approvals, absl::Duration interval)
    : approvals_(approvals), interval_(interval), thread_([this] { Run(); }) {}

Housekeeping::~Housekeeping() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Housekeeping::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    RunOnce();
    lock.lock();
    wake_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stopping_; });
  }
}

template <typename Step>
int Housekeeping::Drain(Step step, const char* what) {
  int total = 0;
  while (true) {
    auto done = step(kBatch);
    if (!done.ok()) {
      spdlog::error("{} failed: {}", what, done.status().ToString());
      return -1;
    }
    total += *done;
    if (*done < kBatch) return total;
    std::lock_guard lock(mutex_);
    if (stopping_) return total;
  }
}

void Housekeeping::RunOnce() {
  const int expired = Drain([this](int n) { return approvals_.ExpireOverdue(n); }, "expiry");
  if (expired > 0) spdlog::info("expired {} pending request(s) nobody decided in time", expired);
  const int purged = Drain([this](int n) { return approvals_.PurgeOverdue(n); }, "purge");
  if (purged > 0) spdlog::info("purged the personal data of {} decided request(s)", purged);
}

}  // namespace gatehouse::core
