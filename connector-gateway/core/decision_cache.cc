#include "core/decision_cache.h"

namespace gatehouse::gateway {
namespace {

// What an entry holds beyond its fixed size: the key and the strings of the answer.
size_t SizeOf(const std::string& key, const Decision& decision) {
  size_t size = key.size() + decision.request_id.size();
  for (const auto& [name, value] : decision.returned_claims) {
    size += name.size() + sizeof(value);
    if (const auto* text = std::get_if<std::string>(&value)) size += text->size();
  }
  return size;
}

}  // namespace

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
  const size_t size = SizeOf(key, decision);
  if (entries_.size() >= kMaxEntries || bytes_ + size > kMaxBytes) {
    entries_.clear();
    bytes_ = 0;
  }
  auto [it, inserted] = entries_.try_emplace(key, Entry{decision, now});
  if (inserted) {
    bytes_ += size;
  } else {
    bytes_ += size - SizeOf(key, it->second.decision);
    it->second = Entry{decision, now};
  }
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
  bytes_ = 0;
}

}  // namespace gatehouse::gateway
