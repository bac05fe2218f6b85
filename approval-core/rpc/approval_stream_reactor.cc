#include "rpc/approval_stream_reactor.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace gatehouse::core {

ApprovalStreamReactor::ApprovalStreamReactor(
    grpc::CallbackServerContext& context, CallGuard& guard, ChangeFeed& feed,
    absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> access, Start start)
    : context_(context), guard_(guard), feed_(feed), start_(std::move(start)) {
  if (!access.ok()) {
    std::lock_guard lock(mutex_);
    finished_ = true;
    Finish(ToGrpcStatus(access.status()));
    return;
  }
  access_ = *std::move(access);
  feed_.Subscribe(this);  // may close it at once, if the server is already closing
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
      ContinueLocked();
      return;
    }
    if (ending_.has_value()) {  // read before the stream began to end; not started
      reading_.reset();
      ContinueLocked();
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
  // Only now the next read, here or in OnWriteDone: messages reach the store in the order
  // sent, so an applicant in two of them is recorded by the first; and a refused message has
  // set ending_ by now (RunAsync answers a refusal before it returns), so nothing after it
  // is read.
  std::lock_guard lock(mutex_);
  starting_ = false;
  ReadLocked();
}

void ApprovalStreamReactor::Answered(Message& message, grpc::Status status) {
  std::lock_guard lock(mutex_);
  if (!status.ok() && !ending_.has_value()) ending_ = status;
  // A message refused for its token: the token no longer holds, so nothing more is sent.
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
      status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    dropping_ = true;
  }
  message.status = std::move(status);
  --with_store_;
  ContinueLocked();
}

void ApprovalStreamReactor::OnWriteDone(bool ok) {
  std::lock_guard lock(mutex_);
  writing_ = false;
  messages_.pop_front();
  if (!ok) {  // the client is gone
    if (!ending_.has_value()) ending_ = grpc::Status(grpc::StatusCode::CANCELLED, "stream closed");
    dropping_ = true;
  }
  ReadLocked();  // room again, if reading had stopped for it
  ContinueLocked();
}

void ApprovalStreamReactor::OnCancel() {
  std::lock_guard lock(mutex_);
  ending_ = grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client");
  dropping_ = true;
  ContinueLocked();
}

void ApprovalStreamReactor::OnDone() {
  feed_.Unsubscribe(this);
  delete this;
}

void ApprovalStreamReactor::OnClose() {
  std::lock_guard lock(mutex_);
  if (!ending_.has_value()) {
    ending_ = grpc::Status(grpc::StatusCode::UNAVAILABLE, "approval-core is shutting down");
  }
  ContinueLocked();
}

void ApprovalStreamReactor::CutOffIfStalled(std::chrono::steady_clock::time_point now,
                                            std::chrono::milliseconds limit) {
  std::lock_guard lock(mutex_);
  if (finished_ || !writing_ || now - write_started_ <= limit) return;
  spdlog::warn("cut off a StreamApprovals client that took no answer for {} ms", limit.count());
  context_.TryCancel();
}

void ApprovalStreamReactor::RecheckAccess() {
  std::lock_guard lock(mutex_);
  if (finished_ || dropping_) return;
  if (absl::Status access = access_->Recheck(); !access.ok()) {
    ending_ = ToGrpcStatus(access);
    dropping_ = true;
    ContinueLocked();
  }
}

void ApprovalStreamReactor::ReadLocked() {
  if (reading_ != nullptr || starting_ || reads_over_ || ending_.has_value() ||
      messages_.size() >= kMaxWaiting) {
    return;
  }
  reading_ = std::make_unique<Message>();
  StartRead(&reading_->request);
}

void ApprovalStreamReactor::ContinueLocked() {
  if (finished_ || writing_) return;
  if (!dropping_ && !messages_.empty() && messages_.front()->status.has_value() &&
      messages_.front()->status->ok()) {
    // Nothing is sent once the token is revoked.
    if (absl::Status access = access_->Recheck(); !access.ok()) {
      ending_ = ToGrpcStatus(access);
      dropping_ = true;
      ContinueLocked();
      return;
    }
    writing_ = true;
    write_started_ = std::chrono::steady_clock::now();
    StartWrite(&messages_.front()->response);
    return;
  }
  // Over when the client has every answer after half-closing, or when it must end and what is
  // before the failure is written. Never while the store still holds one of its messages.
  const bool answered_all = messages_.empty() && reads_over_;
  const bool written_up_to_failure = ending_.has_value() && (dropping_ || messages_.empty() ||
                                                             messages_.front()->status.has_value());
  if (with_store_ > 0 || !(answered_all || written_up_to_failure)) return;
  finished_ = true;
  Finish(ending_.value_or(grpc::Status::OK));
}

}  // namespace gatehouse::core
