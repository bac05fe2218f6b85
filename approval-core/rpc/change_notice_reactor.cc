#include "rpc/change_notice_reactor.h"

#include <spdlog/spdlog.h>

#include "rpc/call_guard.h"

namespace gatehouse::core {

ChangeNoticeReactor::ChangeNoticeReactor(grpc::CallbackServerContext& context, ChangeFeed& feed,
                                         std::unique_ptr<StreamAccess::Pass> access)
    : context_(context), feed_(feed), access_(std::move(access)) {
  // Subscribed before the first notice: a change after it is never missed.
  feed_.Subscribe(this);
  std::lock_guard lock(mutex_);
  NotifyLocked();
}

void ChangeNoticeReactor::OnChange() {
  std::lock_guard lock(mutex_);
  NotifyLocked();
}

void ChangeNoticeReactor::OnClose() {
  std::lock_guard lock(mutex_);
  FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, "approval-core is shutting down"));
}

void ChangeNoticeReactor::CutOffIfStalled(std::chrono::steady_clock::time_point now,
                                          std::chrono::milliseconds limit) {
  std::lock_guard lock(mutex_);
  if (finished_ || !writing_ || now - write_started_ <= limit) return;
  spdlog::warn("cut off a change-notice client that took no notice for {} ms", limit.count());
  context_.TryCancel();
}

void ChangeNoticeReactor::RecheckAccess() {
  std::lock_guard lock(mutex_);
  if (finishing_) return;
  if (absl::Status access = access_->Recheck(); !access.ok()) FinishLocked(ToGrpcStatus(access));
}

void ChangeNoticeReactor::AfterWriteLocked() {
  if (due_) NotifyLocked();
}

void ChangeNoticeReactor::OnDone() {
  feed_.Unsubscribe(this);
  delete this;
}

void ChangeNoticeReactor::NotifyLocked() {
  if (finishing_) return;
  if (writing_) {
    due_ = true;
    return;
  }
  due_ = false;
  // Nothing is sent once the token is revoked.
  if (absl::Status access = access_->Recheck(); !access.ok()) {
    FinishLocked(ToGrpcStatus(access));
    return;
  }
  WriteLocked(&notice_);
}

}  // namespace gatehouse::core
