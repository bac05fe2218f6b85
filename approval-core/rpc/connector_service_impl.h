#pragma once

#include <utility>

#include "approval/v1/connector_service.grpc.pb.h"
#include "domain/approval_service.h"
#include "rpc/call_guard.h"
#include "rpc/change_feed.h"
#include "rpc/stream_access.h"

namespace gatehouse::core {

// ConnectorService over the domain; connector role only. The hot path of every sign-up, so it
// uses gRPC's callback API: the handler runs on the thread that read the request, without the
// sync server's hand-off to a worker thread (the sync version cost twice the CPU per call).
class ConnectorServiceImpl final : public approval::v1::ConnectorService::CallbackService {
 public:
  // A StreamApprovals message takes at most this many applicants: 64 of the gateway's largest
  // (64 KiB bodies) still fit in gRPC's default 4 MiB message.
  static constexpr int kMaxApplicantsPerMessage = 64;

  ConnectorServiceImpl(ApprovalService& approvals, CallGuard& guard, ChangeFeed& feed,
                       StreamAccess& streams)
      : approvals_(approvals), guard_(guard), feed_(feed), streams_(streams) {}

  grpc::ServerUnaryReactor* CheckApprovalStatus(
      grpc::CallbackServerContext* context, const approval::v1::CheckApprovalStatusRequest* request,
      approval::v1::CheckApprovalStatusResponse* response) override;
  grpc::ServerUnaryReactor* RequestApproval(
      grpc::CallbackServerContext* context, const approval::v1::RequestApprovalRequest* request,
      approval::v1::RequestApprovalResponse* response) override;
  grpc::ServerBidiReactor<approval::v1::StreamApprovalsRequest,
                          approval::v1::StreamApprovalsResponse>*
  StreamApprovals(grpc::CallbackServerContext* context) override;
  grpc::ServerWriteReactor<approval::v1::WatchChangesResponse>* WatchChanges(
      grpc::CallbackServerContext* context,
      const approval::v1::WatchChangesRequest* request) override;

 private:
  // The body of each StreamApprovals message: hands the applicants to the store; `finish` is called
  // once every one is answered in `response`. Not OK (a count out of range): nothing was started
  // and `finish` is not called.
  absl::Status StartApprovals(const approval::v1::StreamApprovalsRequest& request,
                              approval::v1::StreamApprovalsResponse* response,
                              std::function<void(absl::Status)> finish);

  // A unary call of the connector role answered later, by the thread that commits what it
  // recorded, once that is durable (CallGuard::RunAsync). That is this gRPC thread only when
  // nothing else was being committed: gRPC has few callback threads (2 on 2 cores), and one
  // waiting behind another commit would leave the group commit nothing to group.
  template <typename Body>
  grpc::ServerUnaryReactor* AnswerLater(grpc::CallbackServerContext* context, Body&& body) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    guard_.RunAsync(
        *context, {Role::kConnector}, [reactor](grpc::Status status) { reactor->Finish(status); },
        std::forward<Body>(body));
    return reactor;
  }

  ApprovalService& approvals_;
  CallGuard& guard_;
  ChangeFeed& feed_;
  StreamAccess& streams_;
};

}  // namespace gatehouse::core
