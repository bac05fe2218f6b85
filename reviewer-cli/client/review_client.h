#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "approval/v1/review_service.grpc.pb.h"

namespace gatehouse::cli {

// approval-core's ReviewService, with the reviewer's token and a deadline
// on every call. gRPC failures come back as absl::Status with the same code and message.
class ReviewClient {
 public:
  ReviewClient(std::shared_ptr<grpc::Channel> channel, std::string token,
               std::chrono::milliseconds deadline);

  absl::StatusOr<approval::v1::ListRequestsResponse> List(
      const approval::v1::ListRequestsRequest& request);
  absl::StatusOr<approval::v1::ApprovalRequest> Get(const std::string& id);
  absl::StatusOr<approval::v1::ApprovalRequest> Approve(const std::string& id,
                                                        const std::string& reason);
  absl::StatusOr<approval::v1::ApprovalRequest> Deny(const std::string& id,
                                                     const std::string& reason);

 private:
  void Prepare(grpc::ClientContext& context) const;

  std::unique_ptr<approval::v1::ReviewService::Stub> review_;
  std::string authorization_;
  std::chrono::milliseconds deadline_;
};

}  // namespace gatehouse::cli
