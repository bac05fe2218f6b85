#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "approval/v1/connector_service.grpc.pb.h"
#include "core/approval_stream.h"
#include "core/core_client.h"

namespace gatehouse::gateway {

// CoreClient over approval.v1.ConnectorService. One channel, shared by all threads (gRPC
// channels multiplex calls), so no connection is set up per request. Hook 1 is a
// CheckApprovalStatus call; hook 2 goes over one StreamApprovals stream (ApprovalStream), or,
// to a core that does not know it, by a RequestApproval call (logged once as a warning).
class GrpcCoreClient final : public CoreClient {
 public:
  // `ready_deadline` bounds the health check of Ready().
  GrpcCoreClient(std::shared_ptr<grpc::Channel> channel, std::string token,
                 std::chrono::milliseconds ready_deadline);

  absl::StatusOr<Decision> Decide(Hook hook, const ApplicantClaims& claims,
                                  std::chrono::milliseconds deadline) override;
  absl::Status Ready() override;

  // Up to this many hook 2 applicants travel in one stream message. 32 of the largest
  // applicants (64 KiB bodies) stay well within gRPC's 4 MiB message and the core's 64.
  static constexpr size_t kMaxBatch = 32;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<approval::v1::ConnectorService::Stub> stub_;
  std::string authorization_;  // "Bearer <token>"; never logged
  std::chrono::milliseconds ready_deadline_;
  std::once_flag warned_unstreamed_;
  ApprovalStream approval_stream_;  // after stub_
};

}  // namespace gatehouse::gateway
