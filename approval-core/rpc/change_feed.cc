#include "rpc/change_feed.h"

#include <algorithm>
#include <vector>

namespace gatehouse::core {

ChangeFeed::ChangeFeed(Options options) : options_(options), thread_([this] { Run(); }) {}

ChangeFeed::~ChangeFeed() { Close(); }

void ChangeFeed::Subscribe(Watcher* watcher) {
  {
    std::lock_guard lock(mutex_);
    if (!closing_) {
      watchers_.insert(watcher);
      return;
    }
  }
  watcher->OnClose();
}

void ChangeFeed::Unsubscribe(Watcher* watcher) {
  std::unique_lock lock(mutex_);
  watchers_.erase(watcher);
  due_.erase(watcher);
  // A stream that ends from within a call of ours must not wait for itself.
  if (std::this_thread::get_id() == thread_.get_id()) return;
  call_done_.wait(lock, [&] { return calling_ != watcher; });
}

void ChangeFeed::Notify() {
  {
    std::lock_guard lock(mutex_);
    changed_ = true;
  }
  wake_.notify_one();
}

void ChangeFeed::RequestCatchUp(Watcher* watcher) {
  {
    std::lock_guard lock(mutex_);
    if (!watchers_.contains(watcher)) return;
    due_.insert(watcher);
  }
  wake_.notify_one();
}

void ChangeFeed::Close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

template <typename Call>
void ChangeFeed::CallUnlocked(std::unique_lock<std::mutex>& lock, Watcher* watcher, Call call) {
  if (!watchers_.contains(watcher)) return;  // unsubscribed since the round began
  calling_ = watcher;
  lock.unlock();
  call(*watcher);
  lock.lock();
  calling_ = nullptr;
  call_done_.notify_all();
}

void ChangeFeed::Run() {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lock(mutex_);
  Clock::time_point next_stall_check = Clock::now() + options_.stall_check_interval;
  Clock::time_point next_access_check = Clock::now() + options_.access_check_interval;
  while (!closing_) {
    wake_.wait_until(lock, std::min(next_stall_check, next_access_check),
                     [this] { return closing_ || changed_ || !due_.empty(); });
    if (closing_) break;
    std::vector<Watcher*> round;
    if (changed_) {
      round.assign(watchers_.begin(), watchers_.end());
    } else {
      round.assign(due_.begin(), due_.end());
    }
    changed_ = false;
    due_.clear();
    for (Watcher* watcher : round) {
      CallUnlocked(lock, watcher, [](Watcher& w) { w.CatchUp(); });
    }
    const Clock::time_point now = Clock::now();
    if (now >= next_stall_check) {
      next_stall_check = now + options_.stall_check_interval;
      const std::vector<Watcher*> all(watchers_.begin(), watchers_.end());
      for (Watcher* watcher : all) {
        CallUnlocked(lock, watcher,
                     [&](Watcher& w) { w.CutOffIfStalled(now, options_.stall_limit); });
      }
    }
    if (now >= next_access_check) {
      next_access_check = now + options_.access_check_interval;
      const std::vector<Watcher*> all(watchers_.begin(), watchers_.end());
      for (Watcher* watcher : all) {
        CallUnlocked(lock, watcher, [](Watcher& w) { w.RecheckAccess(); });
      }
    }
  }
  const std::vector<Watcher*> all(watchers_.begin(), watchers_.end());
  for (Watcher* watcher : all) {
    CallUnlocked(lock, watcher, [](Watcher& w) { w.OnClose(); });
  }
}

}  // namespace gatehouse::core
