#include "rpc/change_notice_reactor.h"

namespace gatehouse::core {

ChangeNoticeReactor::ChangeNoticeReactor(grpc::CallbackServerContext& context, ChangeFeed& feed,
                                         absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> access)
    : ServerStream(context, feed, std::move(access), "change-notice",
                   Recheck::kBeforeEveryMessage) {
  // Subscribed before the first notice: a change after it is never missed.
  if (!Start()) return;
  std::lock_guard lock(mutex_);
  NotifyLocked();
}

void ChangeNoticeReactor::CatchUp() {
  std::lock_guard lock(mutex_);
  NotifyLocked();
}

void ChangeNoticeReactor::SentLocked(const approval::v1::WatchChangesResponse&) {
  if (due_) NotifyLocked();
}

void ChangeNoticeReactor::NotifyLocked() {
  if (QueuedLocked() > 0) {
    due_ = true;
    return;
  }
  due_ = false;
  SendLocked(approval::v1::WatchChangesResponse());
}

}  // namespace gatehouse::core
