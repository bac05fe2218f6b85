#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "approval/v1/review_service.grpc.pb.h"

namespace gatehouse::cli {

// What a reviewer can do to a request.
enum class Verdict { kApprove, kDeny, kRevoke, kReopen };

// approval-core's ReviewService, with the reviewer's token and a deadline
// on every call. gRPC failures come back as absl::Status with the same code and message.
class ReviewClient {
 public:
  ReviewClient(std::shared_ptr<grpc::Channel> channel, std::string token,
               std::chrono::milliseconds deadline);

  absl::StatusOr<approval::v1::ListRequestsResponse> List(
      const approval::v1::ListRequestsRequest& request);
  absl::StatusOr<approval::v1::ApprovalRequest> Get(const std::string& id);
  // Every audit event of one request, oldest first (paging through the server).
  absl::StatusOr<std::vector<approval::v1::AuditEvent>> History(const std::string& id);
  // Approves, denies, revokes or reopens one request; returns it as changed. `claims` are
  // sent only with an approval.
  absl::StatusOr<approval::v1::ApprovalRequest> Decide(
      Verdict verdict, const std::string& id, const std::string& reason,
      const google::protobuf::Map<std::string, approval::v1::ClaimValue>& claims = {});

 private:
  void Prepare(grpc::ClientContext& context) const;
  // One decision RPC: all four take {id, reason} and return {request}.
  template <typename Request, typename Response, typename Method>
  absl::StatusOr<approval::v1::ApprovalRequest> CallDecision(
      Method method, const std::string& id, const std::string& reason,
      const google::protobuf::Map<std::string, approval::v1::ClaimValue>& claims);

  std::unique_ptr<approval::v1::ReviewService::Stub> review_;
  std::string authorization_;
  std::chrono::milliseconds deadline_;
};

}  // namespace gatehouse::cli
