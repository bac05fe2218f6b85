#include "rpc/watch_reactor.h"

#include <exception>
#include <vector>

#include "rpc/proto_mapping.h"

namespace gatehouse::core {
namespace {

constexpr int kBatch = 100;

}  // namespace

WatchReactor::WatchReactor(grpc::CallbackServerContext& context, ApprovalService& approvals,
                           ChangeFeed& feed,
                           absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> access,
                           int64_t since_revision)
    : ServerStream(context, feed, std::move(access), "watch", Recheck::kBeforeEveryMessage),
      approvals_(approvals),
      read_revision_(since_revision),
      sent_revision_(since_revision) {
  // Subscribed before the first read, so nothing committed in between is missed.
  if (Start()) feed_.RequestCatchUp(this);
}

void WatchReactor::CatchUp() {
  int64_t after = 0;
  {
    std::lock_guard lock(mutex_);
    if (EndingLocked()) return;
    if (QueuedLocked() > 0) {  // read again once the client has taken what is queued
      more_ = true;
      return;
    }
    more_ = false;
    after = read_revision_;
  }
  // Read without the stream's lock, which gRPC's threads take to report writes.
  absl::StatusOr<std::vector<Change>> changes = absl::InternalError("not read");
  try {
    changes = approvals_.ListChanges(after, kBatch);
  } catch (const std::exception& e) {
    changes = absl::InternalError(e.what());
  }
  std::lock_guard lock(mutex_);
  if (!changes.ok()) {
    EndLocked(ToGrpcStatus(changes.status()), Ending::kDropQueued);
    return;
  }
  if (changes->size() == kBatch) more_ = true;
  for (const Change& change : *changes) {
    approval::v1::WatchRequestsResponse message;
    ToProto(change.event, message.mutable_event());
    ToProto(change.request, message.mutable_request());
    read_revision_ = change.event.revision;
    SendLocked(std::move(message));
  }
}

void WatchReactor::SentLocked(const approval::v1::WatchRequestsResponse& message) {
  sent_revision_ = message.event().revision();
}

std::string WatchReactor::ResumeHintLocked() const {
  return absl::StrCat("; resume from revision ", sent_revision_);
}

}  // namespace gatehouse::core
