#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "approval/v1/review_service.grpc.pb.h"
#include "approval/v1/status_service.grpc.pb.h"

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
  // StatusService.GetApprovalStatus by request id or by email.
  absl::StatusOr<approval::v1::ApprovalRequest> Status(const std::string& id,
                                                       const std::string& email);
  // Streams changes after `since_revision` to `on_change` until the stream ends; returns its
  // status (no deadline: a watch runs until the server or the user ends it).
  absl::Status Watch(
      int64_t since_revision,
      const std::function<void(const approval::v1::WatchRequestsResponse&)>& on_change);
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
  std::unique_ptr<approval::v1::StatusService::Stub> status_;
  std::string authorization_;
  std::chrono::milliseconds deadline_;
};

}  // namespace gatehouse::cli
