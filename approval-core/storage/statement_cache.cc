#include "storage/statement_cache.h"

#include <utility>

namespace gatehouse::core {

StatementCache::Lease::Lease(SQLite::Statement* statement, bool* in_use,
                             std::unique_ptr<SQLite::Statement> owned)
    : statement_(statement), in_use_(in_use), owned_(std::move(owned)) {}

StatementCache::Lease::Lease(Lease&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      owned_(std::move(other.owned_)) {}

StatementCache::Lease::~Lease() {
  if (statement_ == nullptr || in_use_ == nullptr) return;  // moved from, or a one-off
  // tryReset returns the last step's error again, which its caller has already seen.
  statement_->tryReset();
  statement_->clearBindings();
  *in_use_ = false;
}

StatementCache::Lease StatementCache::Get(std::string_view sql) {
  auto it = entries_.find(sql);
  if (it == entries_.end() && entries_.size() < kMaxEntries) {
    std::string text(sql);
    auto statement = std::make_unique<SQLite::Statement>(db_, text);
    it = entries_.emplace(std::move(text), Entry{std::move(statement)}).first;
  }
  if (it == entries_.end() || it->second.in_use) {
    auto owned = std::make_unique<SQLite::Statement>(db_, std::string(sql));
    SQLite::Statement* statement = owned.get();
    return Lease(statement, nullptr, std::move(owned));
  }
  it->second.in_use = true;
  return Lease(it->second.statement.get(), &it->second.in_use, nullptr);
}

}  // namespace gatehouse::core
