#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <mutex>

namespace gatehouse::core {

// The bookkeeping of a server stream with at most one write in flight that finishes exactly
// once, after that write (gRPC allows no Finish while a write is pending). Subclasses hold
// `mutex_` around every call of the *Locked methods, and say in AfterWriteLocked what follows
// a message the client has taken.
template <typename Response>
class OneWriteReactor : public grpc::ServerWriteReactor<Response> {
 public:
  void OnWriteDone(bool ok) final {
    std::lock_guard lock(mutex_);
    writing_ = false;
    if (!ok) {  // the client is gone; OnCancel follows
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed"));
      return;
    }
    if (finishing_) {
      FinishLocked(final_status_);
      return;
    }
    AfterWriteLocked();
  }

  void OnCancel() final {
    std::lock_guard lock(mutex_);
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client"));
  }

 protected:
  // The message written last was taken and the stream goes on: send the next, if any.
  // Called with mutex_ held.
  virtual void AfterWriteLocked() = 0;

  // Starts writing `message`, which must live until OnWriteDone. Requires mutex_.
  void WriteLocked(const Response* message) {
    writing_ = true;
    write_started_ = std::chrono::steady_clock::now();
    this->StartWrite(message);
  }

  // Finishes once, after any write in flight (the first status wins). Requires mutex_.
  void FinishLocked(grpc::Status status) {
    if (finished_) return;
    if (!finishing_) {
      finishing_ = true;
      final_status_ = std::move(status);
    }
    if (writing_) return;  // OnWriteDone finishes
    finished_ = true;
    this->Finish(final_status_);
  }

  std::mutex mutex_;
  bool writing_ = false;
  std::chrono::steady_clock::time_point write_started_;
  bool finishing_ = false;  // Finish wanted (maybe deferred until the write completes)
  bool finished_ = false;   // Finish called
  grpc::Status final_status_;
};

}  // namespace gatehouse::core
