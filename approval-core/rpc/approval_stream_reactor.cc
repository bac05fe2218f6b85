#include "rpc/approval_stream_reactor.h"

#include <utility>

namespace gatehouse::core {
namespace {

bool IsTokenRefusal(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
         status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
}

}  // namespace

ApprovalStreamReactor::ApprovalStreamReactor(
    grpc::CallbackServerContext& context, CallGuard& guard, ChangeFeed& feed,
    absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> access, StartWork start)
    : ServerStream(context, feed, std::move(access), "StreamApprovals", Recheck::kPeriodically),
      guard_(guard),
      start_(std::move(start)) {
  if (!Start()) return;
  std::lock_guard lock(mutex_);
  ReadLocked();
}

void ApprovalStreamReactor::OnReadDone(bool ok) {
  Message* message = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (!ok) {  // the client half-closed or is gone
      reads_over_ = true;
      reading_.reset();
      FlushLocked();
      return;
    }
    if (EndingLocked()) {  // read before the stream began to end; not started
      reading_.reset();
      return;
    }
    message = reading_.get();
    messages_.push_back(std::move(reading_));
    ++with_store_;
    starting_ = true;
  }
  // Unlocked: RunAsync may answer at once (a refused token), which takes the lock.
  guard_.RunAsync(
      context_, {Role::kConnector},
      [this, message](grpc::Status status) { Answered(*message, std::move(status)); },
      [&](const Principal&, std::function<void(absl::Status)> finish) {
        return start_(message->request, &message->response, std::move(finish));
      });
  // Only now the next read: messages reach the store in the order sent, so an applicant in two
  // of them is recorded by the first; and a refused message has ended the stream by now
  // (RunAsync answers a refusal before it returns), so nothing after it is read.
  std::lock_guard lock(mutex_);
  starting_ = false;
  ReadLocked();
}

void ApprovalStreamReactor::Answered(Message& message, grpc::Status status) {
  std::lock_guard lock(mutex_);
  if (!status.ok()) {
    // Nothing after a refused message is read, even while answers before it are still with
    // the store; and a token refused means nothing more is sent, not even those answers.
    refused_ = true;
    if (IsTokenRefusal(status)) EndLocked(status, Ending::kDropQueued);
  }
  message.status = std::move(status);
  --with_store_;
  FlushLocked();
}

void ApprovalStreamReactor::FlushLocked() {
  while (!messages_.empty() && messages_.front()->status.has_value()) {
    const std::unique_ptr<Message> message = std::move(messages_.front());
    messages_.pop_front();
    const grpc::Status& status = *message->status;
    if (status.ok()) {
      SendLocked(std::move(message->response));
      continue;
    }
    EndLocked(status, IsTokenRefusal(status) ? Ending::kDropQueued : Ending::kAfterQueued);
  }
  if (reads_over_ && messages_.empty()) EndLocked(grpc::Status::OK, Ending::kAfterQueued);
  ContinueLocked();  // the store may have let go of the last message
  ReadLocked();
}

void ApprovalStreamReactor::ReadLocked() {
  if (reading_ != nullptr || starting_ || reads_over_ || refused_ || EndingLocked() ||
      messages_.size() + QueuedLocked() >= kMaxWaiting) {
    return;
  }
  reading_ = std::make_unique<Message>();
  StartRead(&reading_->request);
}

}  // namespace gatehouse::core
