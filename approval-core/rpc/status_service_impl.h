#pragma once

#include "approval/v1/status_service.grpc.pb.h"
#include "domain/approval_service.h"
#include "rpc/call_guard.h"

namespace gatehouse::core {

// StatusService over the domain; reader or reviewer role.
class StatusServiceImpl final : public approval::v1::StatusService::Service {
 public:
  StatusServiceImpl(ApprovalService& approvals, CallGuard& guard)
      : approvals_(approvals), guard_(guard) {}

  grpc::Status GetApprovalStatus(grpc::ServerContext* context,
                                 const approval::v1::GetApprovalStatusRequest* request,
                                 approval::v1::GetApprovalStatusResponse* response) override;

 private:
  ApprovalService& approvals_;
  CallGuard& guard_;
};

}  // namespace gatehouse::core
