#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace gatehouse::core {

// A counter that the store's commit listener bumps (only a signal, never a call into the
// delivery threads) and that those threads wait on.
class ChangeSignal {
 public:
  void Notify() {
    {
      std::lock_guard lock(mutex_);
      ++generation_;
    }
    changed_.notify_all();
  }

  // The current generation, to wait past.
  uint64_t Generation() {
    std::lock_guard lock(mutex_);
    return generation_;
  }

  // Waits until the generation moved past `seen` or `timeout` passed; returns the generation.
  uint64_t WaitPast(uint64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return generation_ != seen; });
    return generation_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t generation_ = 0;
};

}  // namespace gatehouse::core
