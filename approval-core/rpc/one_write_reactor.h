#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <mutex>

namespace gatehouse::core {

// The bookkeeping of a server stream with at most one write in flight that finishes exactly
// once, after that write (gRPC allows no Finish while a write is pending). Subclasses hold
// `mutex_` around every call of the *Locked methods and clear `writing_` in OnWriteDone.
template <typename Response>
class OneWriteReactor : public grpc::ServerWriteReactor<Response> {
 protected:
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
