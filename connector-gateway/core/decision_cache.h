#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "model/decision.h"

namespace gatehouse::gateway {

// Hook 1 answers of approval-core, kept for as long as the core says nothing has changed.
//
// Safe because staleness is ruled out, not just made short: the core sends a change notice
// after every commit that touches a request (ChangeWatch), and each notice throws away all
// that is kept. An answer is kept only if no notice came between asking and hearing it (the
// ticket), and only while the notice stream is live. What can change without a commit (the
// core's policy after a restart, which also breaks the stream; a pending request turning
// overdue, which only ever turns a block into a Continue) is bounded by the maximum age.
// Thread-safe.
class DecisionCache {
 public:
  using Clock = std::chrono::steady_clock;
  // At most this many answers, and about this many bytes of keys and answers, are kept;
  // beyond either, everything goes: a flood of distinct (or of 64 KiB) applicants must not
  // grow the gateway.
  static constexpr size_t kMaxEntries = 10000;
  static constexpr size_t kMaxBytes = 8 * 1024 * 1024;

  explicit DecisionCache(std::chrono::milliseconds max_age) : max_age_(max_age) {}

  // To be taken before asking the core; nullopt when an answer may not be kept now.
  std::optional<uint64_t> Ticket() const;
  // The answer kept for `key`, if it is younger than the maximum age and still valid.
  std::optional<Decision> Find(const std::string& key, Clock::time_point now) const;
  // Keeps `decision` for `key` unless something changed since `ticket` was taken.
  void Keep(const std::string& key, uint64_t ticket, const Decision& decision,
            Clock::time_point now);

  // A change notice: whatever is kept may be stale.
  void Changed();
  // Whether change notices are arriving. Not live: nothing is kept or found.
  void SetLive(bool live);

 private:
  struct Entry {
    Decision decision;
    Clock::time_point kept_at;
  };
  // Forgets everything; answers asked for before now will not be kept. Requires mutex_.
  void ForgetLocked();

  const std::chrono::milliseconds max_age_;
  mutable std::mutex mutex_;
  bool live_ = false;
  uint64_t generation_ = 0;  // advanced by every change and every live/not-live turn
  std::unordered_map<std::string, Entry> entries_;
  size_t bytes_ = 0;  // of the keys and answers in entries_, roughly
};

}  // namespace gatehouse::gateway
