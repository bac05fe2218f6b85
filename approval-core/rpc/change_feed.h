#pragma once

#include <chrono>
#include <mutex>
#include <set>

namespace gatehouse::core {

// Tells open server streams (WatchRequests, WatchChanges, StreamApprovals) that the audit log grew, and that the server is closing.
// Watchers read the new events from the store themselves, so nothing is buffered here and a
// slow watcher only lags behind; it never makes the server hold more memory.
class ChangeFeed {
 public:
  class Watcher {
   public:
    virtual ~Watcher() = default;
    virtual void OnChange() = 0;  // new events may be in the store
    virtual void OnClose() = 0;   // the server is shutting down: finish now
    // Cut the stream off if one message has waited longer than `limit` for the client.
    virtual void CutOffIfStalled(std::chrono::steady_clock::time_point now,
                                 std::chrono::milliseconds limit) = 0;
    // End the stream (UNAUTHENTICATED) if its token was revoked (see StreamAccess).
    virtual void RecheckAccess() = 0;
  };

  // A watcher subscribing after Close() is closed at once.
  void Subscribe(Watcher* watcher);
  void Unsubscribe(Watcher* watcher);
  void Notify();
  void Close();
  // Asks every watcher to check itself for a stalled client (called periodically).
  void CutOffStalled(std::chrono::milliseconds limit);
  // Asks every watcher to check its token again (called every second).
  void RecheckAccess();

 private:
  std::mutex mutex_;
  std::set<Watcher*> watchers_;
  bool closed_ = false;
};

}  // namespace gatehouse::core
