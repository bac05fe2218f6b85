#include "core/approval_stream.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/core_proto.h"

namespace gatehouse::gateway {

namespace pb = ::approval::v1;

// One stream. Its state is guarded by the owner's mutex_; gRPC never runs these reactions
// inline in a Start* call, so starting operations with the mutex held is safe.
class ApprovalStream::Reactor final
    : public grpc::ClientBidiReactor<pb::StreamApprovalsRequest, pb::StreamApprovalsResponse> {
 public:
  explicit Reactor(ApprovalStream& owner) : owner_(owner) {}

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(owner_.mutex_);
    writing_ = false;
    if (!ok) {
      broken_ = true;  // OnDone follows
      return;
    }
    owner_.SendLocked();
  }

  void OnReadDone(bool ok) override {
    Batch answered;
    {
      std::lock_guard lock(owner_.mutex_);
      if (!ok) {
        broken_ = true;  // OnDone follows
        return;
      }
      if (sent_.empty()) {  // an answer to nothing asked: trust nothing more on this stream
        broken_ = true;
        context_.TryCancel();
        return;
      }
      answered = std::move(sent_.front());
      sent_.pop_front();
      Answer(answered, FromProto(reading_, answered.size()));
      StartRead(&reading_);
      owner_.SendLocked();
    }
    // Woken after the lock is released, so that none wakes only to wait for it.
    for (const auto& waiter : answered) waiter->woken.notify_one();
  }

  void OnDone(const grpc::Status& status) override {
    ApprovalStream& owner = owner_;
    {
      std::lock_guard lock(owner.mutex_);
      // An applicant written but not answered may or may not be recorded; either way it gets
      // no decision from here, so its caller fails closed. The core's code is kept (the
      // gateway's log shows core_error=UNAUTHENTICATED for a revoked token, as for a call);
      // a stream closed without one counts as the core being unavailable.
      const bool coded = !status.ok() && status.error_code() != grpc::StatusCode::CANCELLED;
      const absl::Status failure(
          coded ? static_cast<absl::StatusCode>(status.error_code())
                : absl::StatusCode::kUnavailable,
          absl::StrCat("the stream to approval-core ended before the answer came: ",
                       status.ok() ? "closed" : status.error_message()));
      for (Batch& batch : sent_) {
        Answer(batch, std::vector<absl::StatusOr<Decision>>(batch.size(), failure));
        for (const auto& waiter : batch) waiter->woken.notify_one();
      }
      owner.Closing(this);
    }
    // Deleted before the owner hears that it is gone: its ClientContext holds a reference to
    // the channel, and gRPC 1.51 breaks if the last one goes on this thread (grpc/grpc#32584).
    delete this;
    std::lock_guard lock(owner.mutex_);
    owner.Closed();
  }

  // Opens the stream. Requires the owner's mutex.
  void Open(const std::string& authorization) {
    context_.AddMetadata("authorization", authorization);
    owner_.stub_.async()->StreamApprovals(&context_, this);
    StartRead(&reading_);
    StartCall();
  }

  // Writes up to `max_batch` of `queue` as one message, unless a write is in flight or a
  // message is unanswered. Requires the owner's mutex.
  void WriteLocked(std::deque<std::pair<pb::Applicant, std::shared_ptr<Waiter>>>& queue,
                   size_t max_batch) {
    if (writing_ || broken_ || queue.empty() || sent_.size() >= kMaxUnanswered) {
      return;
    }
    writing_message_.Clear();
    Batch batch;
    while (!queue.empty() && batch.size() < max_batch) {
      *writing_message_.add_applicants() = std::move(queue.front().first);
      batch.push_back(std::move(queue.front().second));
      queue.pop_front();
    }
    sent_.push_back(std::move(batch));
    writing_ = true;
    StartWrite(&writing_message_);
  }

  void Cancel() { context_.TryCancel(); }

 private:
  static void Answer(Batch& batch, std::vector<absl::StatusOr<Decision>> answers) {
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->answer = std::move(answers[i]);
  }

  // One message at a time: while the core commits it, the next gathers everything that
  // arrives meanwhile, and the core commits each message the moment it comes. With two in
  // flight, messages were half as full and the second queued behind the first's commit: hook
  // 2 at 16 connections answered 14 to 26 % fewer per second (three alternating pairs), and
  // with 3, 4 or 8 fewer still.
  static constexpr size_t kMaxUnanswered = 1;
  ApprovalStream& owner_;
  grpc::ClientContext context_;
  pb::StreamApprovalsRequest writing_message_;
  pb::StreamApprovalsResponse reading_;
  std::deque<Batch> sent_;  // written or being written, not yet answered; oldest first
  bool writing_ = false;
  bool broken_ = false;
};

ApprovalStream::ApprovalStream(pb::ConnectorService::Stub& stub, std::string authorization,
                               size_t max_batch)
    : stub_(stub), authorization_(std::move(authorization)), max_batch_(max_batch) {}

ApprovalStream::~ApprovalStream() {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  if (reactor_ != nullptr) reactor_->Cancel();
  ended_.wait(lock, [this] { return reactor_ == nullptr && closing_ == 0; });
}

absl::StatusOr<Decision> ApprovalStream::Call(const ApplicantClaims& applicant,
                                              Clock::time_point deadline) {
  auto waiter = std::make_shared<Waiter>();
  pb::Applicant message;
  ToProto(applicant, &message);
  std::unique_lock lock(mutex_);
  if (stopping_) return absl::UnavailableError("the gateway is stopping");
  queue_.emplace_back(std::move(message), waiter);
  SendLocked();
  if (!waiter->woken.wait_until(lock, deadline, [&] { return waiter->answer.has_value(); })) {
    auto queued = std::find_if(queue_.begin(), queue_.end(),
                               [&](const auto& entry) { return entry.second == waiter; });
    if (queued != queue_.end()) queue_.erase(queued);
    return absl::DeadlineExceededError("approval-core did not answer within the deadline");
  }
  return std::move(*waiter->answer);
}

void ApprovalStream::SendLocked() {
  if (stopping_ || queue_.empty()) return;
  if (reactor_ == nullptr) {
    reactor_ = new Reactor(*this);
    reactor_->Open(authorization_);
  }
  // A broken stream takes nothing more; Closed opens the next one for what is queued.
  reactor_->WriteLocked(queue_, max_batch_);
}

void ApprovalStream::Closing(Reactor* reactor) {
  if (reactor_ == reactor) reactor_ = nullptr;
  ++closing_;
}

void ApprovalStream::Closed() {
  --closing_;
  ended_.notify_all();
  SendLocked();
}

}  // namespace gatehouse::gateway
