#include "app/periodic_task.h"

namespace gatehouse::core {

PeriodicTask::PeriodicTask(absl::Duration interval, Work work)
    : interval_(interval), work_(std::move(work)), thread_([this] { Run(); }) {}

PeriodicTask::~PeriodicTask() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicTask::Run() {
  while (!stopping_) {
    work_(stopping_);
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, absl::ToChronoMilliseconds(interval_),
                   [this] { return stopping_.load(); });
  }
}

}  // namespace gatehouse::core
