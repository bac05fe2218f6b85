#pragma once

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "rpc/change_feed.h"
#include "rpc/stream_access.h"

namespace gatehouse::core {

// What every server stream shares (`Reactor` is grpc::ServerWriteReactor<Response> or
// grpc::ServerBidiReactor<Request, Response>): the rules of writing, stalling and finishing.
//
// - Writing: messages queue (SendLocked) and go one at a time, each once the client took the one
//   before (gRPC allows one write in flight). Each message's token is checked first when the
//   stream says so (Recheck::kBeforeEveryMessage); every stream's token is checked again by the
//   feed every second. A revoked token ends the stream and nothing more is sent.
// - Ending (EndLocked): the first status wins. kAfterQueued sends what is queued first;
//   kDropQueued drops it. The client going away, cancelling, stalling or losing its token drops;
//   the server closing sends what is queued, then UNAVAILABLE.
// - Stalling: a message the client has not taken within the feed's stall limit cuts the stream
//   off (RESOURCE_EXHAUSTED, the call cancelled, one warning logged).
// - Finishing: once, when it is ending, nothing is in flight, nothing queued is still to be
//   sent, and the subclass holds no work that points into it (HoldsWorkLocked). A status other
//   than OK carries ResumeHintLocked() at the end of its message.
// - Lifetime: the stream deletes itself in OnDone, after leaving the feed.
//
// Subclasses call Start() last in their constructor, and hold mutex_ around every *Locked call.
template <typename Reactor, typename Response>
class ServerStream : public Reactor, public ChangeFeed::Watcher {
 public:
  void OnWriteDone(bool ok) final {
    bool catch_up = false;
    {
      std::lock_guard lock(mutex_);
      writing_ = false;
      if (ok) {
        SentLocked(in_flight_);
      } else {  // the client is gone
        EndLocked(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed"), Ending::kDropQueued);
      }
      ContinueLocked();
      catch_up = !end_.has_value() && !writing_ && queue_.empty() && WantsCatchUpLocked();
    }
    // (OnDone cannot run before this reaction returns, so `this` is still here.)
    if (catch_up) feed_.RequestCatchUp(this);
  }

  void OnCancel() final {
    std::lock_guard lock(mutex_);
    EndLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client"),
              Ending::kDropQueued);
  }

  void OnDone() final {
    if (subscribed_) feed_.Unsubscribe(this);
    delete this;
  }

  // ChangeFeed::Watcher; CatchUp is the subclass's.
  void CatchUp() override {}

  void OnClose() final {
    std::lock_guard lock(mutex_);
    EndLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, "approval-core is shutting down"),
              Ending::kAfterQueued);
  }

  void CutOffIfStalled(std::chrono::steady_clock::time_point now,
                       std::chrono::milliseconds limit) final {
    std::lock_guard lock(mutex_);
    if (finished_ || !writing_ || cut_off_ || now - write_started_ <= limit) return;
    cut_off_ = true;
    spdlog::warn("cut off a {} client that took no message for {} ms{}", kind_, limit.count(),
                 ResumeHintLocked());
    EndLocked(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                           absl::StrCat(kind_, " client too slow: a message waited more than ",
                                        limit.count(), " ms to be taken")),
              Ending::kDropQueued);
    // The message in flight may never be taken, and Finish waits for it: cancel the call.
    context_.TryCancel();
  }

  void RecheckAccess() final {
    std::lock_guard lock(mutex_);
    if (finished_ || dropping_) return;
    if (absl::Status access = access_->Recheck(); !access.ok()) {
      EndLocked(ToGrpcStatus(access), Ending::kDropQueued);
    }
  }

 protected:
  enum class Ending { kAfterQueued, kDropQueued };
  enum class Recheck { kBeforeEveryMessage, kPeriodically };

  // `access`: the stream's admission (StreamAccess::Admit); refused, the stream finishes at once
  // with its status and Start() says so. `kind` names the stream in logs and statuses.
  ServerStream(grpc::CallbackServerContext& context, ChangeFeed& feed,
               absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> access, std::string_view kind,
               Recheck recheck)
      : context_(context), feed_(feed), kind_(kind), recheck_(recheck) {
    if (!access.ok()) {
      finished_ = true;
      this->Finish(ToGrpcStatus(access.status()));
      return;
    }
    access_ = *std::move(access);
  }
  ~ServerStream() override = default;

  // Joins the feed, unless the stream was refused; true when it goes on. The feed may call the
  // stream at once, so this comes last in the subclass's constructor.
  bool Start() {
    if (finished_) return false;
    subscribed_ = true;
    feed_.Subscribe(this);
    return true;
  }

  // Queues `message` to be sent; dropped when the stream is ending with kDropQueued.
  void SendLocked(Response message) {
    if (dropping_ || finished_) return;
    queue_.push_back(std::move(message));
    ContinueLocked();
  }

  void EndLocked(grpc::Status status, Ending ending) {
    if (!end_.has_value()) end_ = std::move(status);
    if (ending == Ending::kDropQueued) {
      dropping_ = true;
      queue_.clear();
    }
    ContinueLocked();
  }

  // Writes the next message, or finishes when the stream is over. Subclasses call it when what
  // HoldsWorkLocked says has changed.
  void ContinueLocked() {
    if (finished_ || writing_) return;
    if (!queue_.empty()) {
      if (recheck_ == Recheck::kBeforeEveryMessage) {
        if (absl::Status access = access_->Recheck(); !access.ok()) {
          EndLocked(ToGrpcStatus(access), Ending::kDropQueued);
          return;
        }
      }
      in_flight_ = std::move(queue_.front());
      queue_.pop_front();
      writing_ = true;
      write_started_ = std::chrono::steady_clock::now();
      this->StartWrite(&in_flight_);
      return;
    }
    if (!end_.has_value() || HoldsWorkLocked()) return;
    finished_ = true;
    grpc::Status status = *end_;
    if (!status.ok()) {
      status = grpc::Status(status.error_code(), status.error_message() + ResumeHintLocked());
    }
    this->Finish(status);
  }

  bool EndingLocked() const { return end_.has_value(); }
  // Messages queued or in flight.
  size_t QueuedLocked() const { return queue_.size() + (writing_ ? 1 : 0); }

  // The client took `message`.
  virtual void SentLocked(const Response& /*message*/) {}
  // Asked when everything queued was taken: true to be caught up again (RequestCatchUp).
  virtual bool WantsCatchUpLocked() const { return false; }
  // True while work started for the stream may still write into it: it does not finish then.
  virtual bool HoldsWorkLocked() const { return false; }
  // Appended to a failing status and to the stall warning ("; resume from revision 7").
  virtual std::string ResumeHintLocked() const { return ""; }

  std::mutex mutex_;
  grpc::CallbackServerContext& context_;
  ChangeFeed& feed_;

 private:
  const std::string kind_;
  const Recheck recheck_;
  std::unique_ptr<StreamAccess::Pass> access_;
  std::deque<Response> queue_;
  Response in_flight_;
  bool writing_ = false;
  std::chrono::steady_clock::time_point write_started_;
  std::optional<grpc::Status> end_;
  bool dropping_ = false;
  bool cut_off_ = false;
  bool finished_ = false;
  bool subscribed_ = false;
};

}  // namespace gatehouse::core
