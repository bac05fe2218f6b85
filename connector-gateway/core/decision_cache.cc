#include "core/decision_cache.h"

namespace gatehouse::gateway {

std::optional<uint64_t> DecisionCache::Ticket() const {
  std::lock_guard lock(mutex_);
  if (!live_) return std::nullopt;
  return generation_;
}

std::optional<Decision> DecisionCache::Find(const std::string& key, Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  if (!live_) return std::nullopt;
  auto it = entries_.find(key);
  if (it == entries_.end() || now - it->second.kept_at > max_age_) return std::nullopt;
  return it->second.decision;
}

void DecisionCache::Keep(const std::string& key, uint64_t ticket, const Decision& decision,
                         Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (!live_ || ticket != generation_) return;
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.insert_or_assign(key, Entry{decision, now});
}

void DecisionCache::Changed() {
  std::lock_guard lock(mutex_);
  ForgetLocked();
}

void DecisionCache::SetLive(bool live) {
  std::lock_guard lock(mutex_);
  live_ = live;
  ForgetLocked();
}

void DecisionCache::ForgetLocked() {
  ++generation_;
  entries_.clear();
}

}  // namespace gatehouse::gateway
