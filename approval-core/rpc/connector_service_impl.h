#pragma once

#include "approval/v1/connector_service.grpc.pb.h"
#include "domain/approval_service.h"
#include "rpc/call_guard.h"

namespace gatehouse::core {

// ConnectorService over the domain; connector role only.
class ConnectorServiceImpl final : public approval::v1::ConnectorService::Service {
 public:
  ConnectorServiceImpl(ApprovalService& approvals, CallGuard& guard)
      : approvals_(approvals), guard_(guard) {}

  grpc::Status CheckApprovalStatus(grpc::ServerContext* context,
                                   const approval::v1::CheckApprovalStatusRequest* request,
                                   approval::v1::CheckApprovalStatusResponse* response) override;
  grpc::Status RequestApproval(grpc::ServerContext* context,
                               const approval::v1::RequestApprovalRequest* request,
                               approval::v1::RequestApprovalResponse* response) override;

 private:
  ApprovalService& approvals_;
  CallGuard& guard_;
};

}  // namespace gatehouse::core
