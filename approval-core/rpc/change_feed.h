#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace gatehouse::core {

// The open server streams (WatchRequests, WatchChanges, StreamApprovals) and the one thread that
// looks after them. A commit only signals (Notify: a flag and a wake-up, never a call into a
// stream), so no stream's work, least of all a read of the store, runs on the thread that
// committed a hook 2 batch before its applicants are answered. On its own thread the feed then
// lets every stream catch up with what was committed, asks each to cut off a client that takes
// nothing (every `stall_check_interval`) and to check its token again (every
// `access_check_interval`), and finally closes them.
//
// Watchers are never called with the feed's lock held, so a watcher may call RequestCatchUp
// while holding its own lock.
class ChangeFeed {
 public:
  class Watcher {
   public:
    virtual ~Watcher() = default;
    // New events may be in the store, or the watcher asked (RequestCatchUp): send what is new.
    // May read the store.
    virtual void CatchUp() = 0;
    // The server is shutting down: end the stream.
    virtual void OnClose() = 0;
    // End the stream if one message has waited longer than `limit` for the client to take it.
    virtual void CutOffIfStalled(std::chrono::steady_clock::time_point now,
                                 std::chrono::milliseconds limit) = 0;
    // End the stream if its token was revoked (see StreamAccess).
    virtual void RecheckAccess() = 0;
  };

  struct Options {
    std::chrono::milliseconds stall_limit{30000};
    std::chrono::milliseconds stall_check_interval{250};
    // A revoked token's open streams end within this (plus one token lookup per stream).
    std::chrono::milliseconds access_check_interval{1000};
  };

  explicit ChangeFeed(Options options);
  // Close(), if not done yet.
  ~ChangeFeed();
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // A watcher subscribing once the feed is closing is closed at once, on the caller's thread.
  void Subscribe(Watcher* watcher);
  // After this returns the feed never calls `watcher` again (it waits for a call in progress).
  void Unsubscribe(Watcher* watcher);
  // New events are committed: every watcher catches up soon. Constant time; never blocks on a
  // watcher.
  void Notify();
  // `watcher` can take more (its queue drained): it catches up soon.
  void RequestCatchUp(Watcher* watcher);
  // Closes every watcher (OnClose) and stops the feed's thread. Idempotent.
  void Close();

 private:
  void Run();
  // Calls `call(*watcher)` if it is still subscribed, with `lock` released meanwhile; Unsubscribe
  // waits for it.
  template <typename Call>
  void CallUnlocked(std::unique_lock<std::mutex>& lock, Watcher* watcher, Call call);

  const Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;       // for the feed's thread
  std::condition_variable call_done_;  // for Unsubscribe
  std::set<Watcher*> watchers_;
  std::set<Watcher*> due_;      // asked to catch up
  bool changed_ = false;        // events committed since the last round: all catch up
  Watcher* calling_ = nullptr;  // the watcher the feed's thread is calling, if any
  bool closing_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace gatehouse::core
