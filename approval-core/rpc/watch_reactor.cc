#include "rpc/watch_reactor.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "absl/strings/str_cat.h"
#include "rpc/call_guard.h"
#include "rpc/proto_mapping.h"

namespace gatehouse::core {
namespace {

constexpr int kBatch = 100;

}  // namespace

WatchReactor::WatchReactor(grpc::CallbackServerContext& context, ApprovalService& approvals,
                           ChangeFeed& feed, std::unique_ptr<StreamAccess::Pass> access,
                           int64_t since_revision)
    : context_(context),
      approvals_(approvals),
      feed_(feed),
      access_(std::move(access)),
      last_revision_(since_revision),
      sent_revision_(since_revision) {
  // Subscribe before the first read so nothing committed in between is missed.
  feed_.Subscribe(this);
  std::lock_guard lock(mutex_);
  PumpLocked();  // what happened since `since_revision`
}

void WatchReactor::OnChange() {
  std::lock_guard lock(mutex_);
  PumpLocked();
}

void WatchReactor::OnClose() {
  std::lock_guard lock(mutex_);
  FinishLocked(grpc::Status(
      grpc::StatusCode::UNAVAILABLE,
      absl::StrCat("approval-core is shutting down; resume from revision ", sent_revision_)));
}

void WatchReactor::CutOffIfStalled(std::chrono::steady_clock::time_point now,
                                   std::chrono::milliseconds limit) {
  std::lock_guard lock(mutex_);
  if (cut_off_at_) {
    // Told to go, but the status is queued behind the message it does not read: cancel.
    if (now - *cut_off_at_ > limit) context_.TryCancel();
    return;
  }
  if (!writing_ || finished_ || now - write_started_ <= limit) return;
  cut_off_at_ = now;
  finishing_ = true;
  final_status_ = grpc::Status(
      grpc::StatusCode::RESOURCE_EXHAUSTED,
      absl::StrCat("watch client too slow: a message waited more than ", limit.count(),
                   " ms to be taken; reconnect and resume from revision ", sent_revision_));
  finished_ = true;
  Finish(final_status_);  // sent after the message in flight, if the client ever reads
  spdlog::warn("cut off a watch client that took no message for {} ms (at revision {})",
               limit.count(), sent_revision_);
}

void WatchReactor::RecheckAccess() {
  std::lock_guard lock(mutex_);
  if (finishing_) return;
  if (absl::Status access = access_->Recheck(); !access.ok()) FinishLocked(ToGrpcStatus(access));
}

void WatchReactor::AfterWriteLocked() {
  // (A stream that is finishing composed its final status already; nothing reads this then.)
  sent_revision_ = in_flight_.event().revision();
  PumpLocked();
}

void WatchReactor::OnDone() {
  feed_.Unsubscribe(this);
  delete this;
}

void WatchReactor::PumpLocked() {
  if (writing_ || finishing_) return;
  if (pending_.empty()) {
    // Reading in a reactor callback blocks a gRPC thread briefly; a batch is one indexed query.
    try {
      auto events = approvals_.ListEvents({.after_revision = last_revision_, .limit = kBatch});
      if (!events.ok()) {
        FinishLocked(ToGrpcStatus(events.status()));
        return;
      }
      for (const AuditEvent& event : *events) {
        approval::v1::WatchRequestsResponse response;
        ToProto(event, response.mutable_event());
        if (auto request = approvals_.Get(event.request_id); request.ok()) {
          ToProto(*request, response.mutable_request());
        }
        last_revision_ = event.revision;
        pending_.push_back(std::move(response));
      }
    } catch (const std::exception& e) {
      FinishLocked(grpc::Status(grpc::StatusCode::INTERNAL, e.what()));
      return;
    }
  }
  if (pending_.empty()) return;  // caught up: OnChange wakes us
  // Nothing is sent once the token is revoked.
  if (absl::Status access = access_->Recheck(); !access.ok()) {
    FinishLocked(ToGrpcStatus(access));
    return;
  }
  in_flight_ = std::move(pending_.front());
  pending_.pop_front();
  WriteLocked(&in_flight_);
}

}  // namespace gatehouse::core
