#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "approval/v1/connector_service.grpc.pb.h"
#include "core/approval_stream.h"
#include "core/call_batcher.h"
#include "core/core_client.h"

namespace gatehouse::gateway {

// CoreClient over approval.v1.ConnectorService. One channel, shared by all threads (gRPC
// channels multiplex calls), so no connection is set up per request. Hook 2 goes over one
// StreamApprovals stream (ApprovalStream); to a core older than that, the calls made at the
// same time share one call (CallBatcher): RequestApproval when one is alone, RequestApprovals
// when several go together.
class GrpcCoreClient final : public CoreClient {
 public:
  // `ready_deadline` bounds the health check of Ready().
  GrpcCoreClient(std::shared_ptr<grpc::Channel> channel, std::string token,
                 std::chrono::milliseconds ready_deadline);

  absl::StatusOr<Decision> Decide(Hook hook, const ApplicantClaims& claims,
                                  std::chrono::milliseconds deadline) override;
  absl::Status Ready() override;

  // Up to this many hook 2 applicants travel together (in a stream message or a call), and this
  // many calls at once: while one batch is committed, the next gathers and is sent. 32 of the
  // largest applicants (64 KiB bodies) stay well within gRPC's 4 MiB message and the core's 64.
  static constexpr size_t kMaxBatch = 32;
  static constexpr int kMaxCallsInFlight = 2;
  // How long hook 2 goes by calls before the stream is tried again on a core that lacked it.
  static constexpr std::chrono::seconds kStreamRetry{10};

 private:
  // A call's deadline and the token.
  void Prepare(grpc::ClientContext& context, CallBatcher::Clock::time_point deadline) const;
  absl::StatusOr<Decision> RequestApproval(const ApplicantClaims& applicant,
                                           CallBatcher::Clock::time_point deadline);
  std::vector<absl::StatusOr<Decision>> RequestApprovals(
      const std::vector<const ApplicantClaims*>& applicants,
      CallBatcher::Clock::time_point deadline);

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<approval::v1::ConnectorService::Stub> stub_;
  std::string authorization_;  // "Bearer <token>"; never logged
  std::chrono::milliseconds ready_deadline_;
  std::atomic<bool> warned_unbatched_{false};
  std::atomic<bool> warned_unstreamed_{false};
  // Until when hook 2 goes by calls because the core did not know StreamApprovals.
  std::atomic<CallBatcher::Clock::rep> calls_until_{0};
  CallBatcher request_approvals_;
  ApprovalStream approval_stream_;  // after stub_
};

}  // namespace gatehouse::gateway
