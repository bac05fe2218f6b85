#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "approval/v1/connector_service.grpc.pb.h"
#include "model/applicant_claims.h"
#include "model/decision.h"

namespace gatehouse::gateway {

// Hook 2 over one ConnectorService.StreamApprovals stream, shared by every thread. Applicants
// that arrive together travel in one message; a message leaves once the one before it is
// answered, so while the core commits one, the next gathers. A message costs both sides less
// than a call, and no caller's thread blocks in gRPC.
//
// Nothing here waits past a caller's deadline: writes are started, never waited for. A stream
// that ends fails every applicant still on it with the stream's status (a Decision never comes
// from a broken stream); the next applicant opens a new one.
class ApprovalStream {
 public:
  using Clock = std::chrono::steady_clock;

  // Up to `max_batch` applicants per message.
  ApprovalStream(approval::v1::ConnectorService::Stub& stub, std::string authorization,
                 size_t max_batch);
  // Ends the stream and waits until gRPC is done with it.
  ~ApprovalStream();
  ApprovalStream(const ApprovalStream&) = delete;
  ApprovalStream& operator=(const ApprovalStream&) = delete;

  // The core's answer for `applicant`; DEADLINE_EXCEEDED if none came by `deadline`,
  // UNIMPLEMENTED if the core does not know StreamApprovals (then nothing was recorded).
  absl::StatusOr<Decision> Call(const ApplicantClaims& applicant, Clock::time_point deadline);

 private:
  class Reactor;
  struct Waiter {
    std::optional<absl::StatusOr<Decision>> answer;
    std::condition_variable woken;
  };
  using Batch = std::vector<std::shared_ptr<Waiter>>;

  // Writes what is queued if the stream is free, opening one if there is none. Requires mutex_.
  void SendLocked();
  // `reactor` is over and deletes itself next; then Closed, when what is queued goes on a new
  // stream. Both require mutex_.
  void Closing(Reactor* reactor);
  void Closed();

  approval::v1::ConnectorService::Stub& stub_;
  const std::string authorization_;
  const size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable ended_;  // a stream is gone (for the destructor)
  std::deque<std::pair<approval::v1::Applicant, std::shared_ptr<Waiter>>> queue_;
  Reactor* reactor_ = nullptr;  // the open stream, if any; deletes itself when over
  int closing_ = 0;             // streams over and not yet deleted
  bool stopping_ = false;
};

}  // namespace gatehouse::gateway
