#include "rpc/change_feed.h"

#include <vector>

namespace gatehouse::core {

void ChangeFeed::Subscribe(Watcher* watcher) {
  {
    std::lock_guard lock(mutex_);
    if (!closed_) {
      watchers_.insert(watcher);
      return;
    }
  }
  watcher->OnClose();
}

void ChangeFeed::Unsubscribe(Watcher* watcher) {
  std::lock_guard lock(mutex_);
  watchers_.erase(watcher);
}

// Watchers are called under the feed's lock so none can be unsubscribed (and deleted) while
// being called; their callbacks only take their own lock and never call back into the feed.
void ChangeFeed::Notify() {
  std::lock_guard lock(mutex_);
  for (Watcher* watcher : watchers_) watcher->OnChange();
}

void ChangeFeed::CutOffStalled(std::chrono::milliseconds limit) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  for (Watcher* watcher : watchers_) watcher->CutOffIfStalled(now, limit);
}

void ChangeFeed::RecheckAccess() {
  std::lock_guard lock(mutex_);
  for (Watcher* watcher : watchers_) watcher->RecheckAccess();
}

void ChangeFeed::Close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (Watcher* watcher : watchers_) watcher->OnClose();
}

}  // namespace gatehouse::core
