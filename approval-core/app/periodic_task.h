#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace gatehouse::core {

// Runs `work` on a thread of its own once at once and then every `interval`, until destroyed.
// `work` gets a flag that turns true when the task is being stopped, so long work can end
// early; the destructor waits for the current run to finish.
class PeriodicTask {
 public:
  using Work = std::function<void(const std::atomic<bool>& stopping)>;

  PeriodicTask(absl::Duration interval, Work work);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void Run();

  const absl::Duration interval_;
  const Work work_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace gatehouse::core
