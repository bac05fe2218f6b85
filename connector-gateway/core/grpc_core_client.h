#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "approval/v1/connector_service.grpc.pb.h"
#include "core/core_client.h"

namespace gatehouse::gateway {

// CoreClient over approval.v1.ConnectorService. One channel, shared by all threads (gRPC
// channels multiplex calls), so no connection is set up per request.
class GrpcCoreClient final : public CoreClient {
 public:
  // `ready_deadline` bounds the health check of Ready().
  GrpcCoreClient(std::shared_ptr<grpc::Channel> channel, std::string token,
                 std::chrono::milliseconds ready_deadline);

  absl::StatusOr<Decision> Decide(Hook hook, const ApplicantClaims& claims,
                                  std::chrono::milliseconds deadline) override;
  absl::Status Ready() override;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<approval::v1::ConnectorService::Stub> stub_;
  std::string authorization_;  // "Bearer <token>"; never logged
  std::chrono::milliseconds ready_deadline_;
};

}  // namespace gatehouse::gateway
