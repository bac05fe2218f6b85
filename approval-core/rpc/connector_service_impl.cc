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
  // Answered from the store's writer once the request is durable: gRPC has few callback
  // threads (2 on 2 cores), and one waiting for an fsync would leave the group commit
  // nothing to group.
  guard_.RunAsync(
      *context, {Role::kConnector}, [reactor](grpc::Status status) { reactor->Finish(status); },
      [&](const Principal&, std::function<void(absl::Status)> finish) -> absl::Status {
        auto applicant = FromProto(request->applicant());
        if (!applicant.ok()) return applicant.status();
        approvals_.RequestApprovalAsync(
            *applicant, [response, finish = std::move(finish)](
                            absl::StatusOr<ConnectorOutcome> outcome) {
              if (outcome.ok()) ToProto(*outcome, response->mutable_outcome());
              finish(outcome.status());
            });
        return absl::OkStatus();
      });
  return reactor;
}

}  // namespace gatehouse::core
