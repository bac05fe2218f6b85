#include "rpc/watch_reactor.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "rpc/call_guard.h"
#include "rpc/proto_mapping.h"

namespace gatehouse::core {
namespace {

constexpr int kBatch = 100;

}  // namespace

WatchReactor::WatchReactor(ApprovalService& approvals, ChangeFeed& feed, int64_t since_revision)
    : approvals_(approvals),
      feed_(feed),
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

void WatchReactor::OnWriteDone(bool ok) {
  std::lock_guard lock(mutex_);
  writing_ = false;
  if (!ok) {  // the client is gone; OnCancel follows
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed"));
    return;
  }
  sent_revision_ = in_flight_.event().revision();
  if (finishing_) {
    FinishLocked(final_status_);
    return;
  }
  PumpLocked();
}

void WatchReactor::OnCancel() {
  std::lock_guard lock(mutex_);
  FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client"));
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
  in_flight_ = std::move(pending_.front());
  pending_.pop_front();
  writing_ = true;
  StartWrite(&in_flight_);
}

void WatchReactor::FinishLocked(grpc::Status status) {
  if (finished_) return;
  if (!finishing_) {
    finishing_ = true;
    final_status_ = std::move(status);
  }
  if (writing_) return;  // OnWriteDone finishes
  finished_ = true;
  Finish(final_status_);
}

FinishedWriteReactor::FinishedWriteReactor(grpc::Status status) { Finish(std::move(status)); }

void FinishedWriteReactor::OnDone() { delete this; }

}  // namespace gatehouse::core
