#include "rpc/connector_service_impl.h"

#include "rpc/proto_mapping.h"

namespace gatehouse::core {

grpc::ServerUnaryReactor* ConnectorServiceImpl::CheckApprovalStatus(
    grpc::CallbackServerContext* context, const approval::v1::CheckApprovalStatusRequest* request,
    approval::v1::CheckApprovalStatusResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(guard_.Run(*context, {Role::kConnector}, [&](const Principal&) {
    auto applicant = FromProto(request->applicant());
    if (!applicant.ok()) return applicant.status();
    auto outcome = approvals_.CheckApprovalStatus(*applicant);
    if (!outcome.ok()) return outcome.status();
    ToProto(*outcome, response->mutable_outcome());
    return absl::OkStatus();
  }));
  return reactor;
}

grpc::ServerUnaryReactor* ConnectorServiceImpl::RequestApproval(
    grpc::CallbackServerContext* context, const approval::v1::RequestApprovalRequest* request,
    approval::v1::RequestApprovalResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(guard_.Run(*context, {Role::kConnector}, [&](const Principal&) {
    auto applicant = FromProto(request->applicant());
    if (!applicant.ok()) return applicant.status();
    auto outcome = approvals_.RequestApproval(*applicant);
    if (!outcome.ok()) return outcome.status();
    ToProto(*outcome, response->mutable_outcome());
    return absl::OkStatus();
  }));
  return reactor;
}

}  // namespace gatehouse::core
