#include "rpc/connector_service_impl.h"

#include <exception>

#include "rpc/change_notice_reactor.h"
#include "rpc/finished_write_reactor.h"
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
        approvals_.RequestApprovalAsync(*applicant, [response, finish = std::move(finish)](
                                                        absl::StatusOr<ConnectorOutcome> outcome) {
          if (outcome.ok()) ToProto(*outcome, response->mutable_outcome());
          finish(outcome.status());
        });
        return absl::OkStatus();
      });
  return reactor;
}

grpc::ServerWriteReactor<approval::v1::WatchChangesResponse>* ConnectorServiceImpl::WatchChanges(
    grpc::CallbackServerContext* context, const approval::v1::WatchChangesRequest*) {
  using Refused = FinishedWriteReactor<approval::v1::WatchChangesResponse>;
  try {
    auto principal = guard_.Authenticate(*context, {Role::kConnector});
    if (!principal.ok()) return new Refused(ToGrpcStatus(principal.status()));
    return new ChangeNoticeReactor(*context, feed_);
  } catch (const std::exception& e) {
    return new Refused(grpc::Status(grpc::StatusCode::INTERNAL, e.what()));
  }
}

}  // namespace gatehouse::core
