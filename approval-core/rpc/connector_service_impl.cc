#include "rpc/connector_service_impl.h"

#include "rpc/proto_mapping.h"

namespace gatehouse::core {

grpc::Status ConnectorServiceImpl::CheckApprovalStatus(
    grpc::ServerContext* context, const approval::v1::CheckApprovalStatusRequest* request,
    approval::v1::CheckApprovalStatusResponse* response) {
  return guard_.Run(*context, {Role::kConnector}, [&](const Principal&) {
    auto applicant = FromProto(request->applicant());
    if (!applicant.ok()) return applicant.status();
    auto outcome = approvals_.CheckApprovalStatus(*applicant);
    if (!outcome.ok()) return outcome.status();
    ToProto(*outcome, response->mutable_outcome());
    return absl::OkStatus();
  });
}

grpc::Status ConnectorServiceImpl::RequestApproval(
    grpc::ServerContext* context, const approval::v1::RequestApprovalRequest* request,
    approval::v1::RequestApprovalResponse* response) {
  return guard_.Run(*context, {Role::kConnector}, [&](const Principal&) {
    auto applicant = FromProto(request->applicant());
    if (!applicant.ok()) return applicant.status();
    auto outcome = approvals_.RequestApproval(*applicant);
    if (!outcome.ok()) return outcome.status();
    ToProto(*outcome, response->mutable_outcome());
    return absl::OkStatus();
  });
}

}  // namespace gatehouse::core
