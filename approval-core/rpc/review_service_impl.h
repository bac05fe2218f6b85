#pragma once

#include "approval/v1/review_service.grpc.pb.h"
#include "domain/approval_service.h"
#include "rpc/call_guard.h"
#include "rpc/change_feed.h"
#include "rpc/stream_access.h"

namespace gatehouse::core {

// ReviewService over the domain. Decisions need the reviewer role and record the token's
// name as the decider; reads also accept the reader role.
// WatchRequests uses the callback API (a stream must not hold a thread); the rest is sync.
class ReviewServiceImpl final
    : public approval::v1::ReviewService::WithCallbackMethod_WatchRequests<
          approval::v1::ReviewService::Service> {
 public:
  ReviewServiceImpl(ApprovalService& approvals, CallGuard& guard, ChangeFeed& feed,
                    StreamAccess& streams)
      : approvals_(approvals), guard_(guard), feed_(feed), streams_(streams) {}

  grpc::Status ListRequests(grpc::ServerContext* context,
                            const approval::v1::ListRequestsRequest* request,
                            approval::v1::ListRequestsResponse* response) override;
  grpc::Status GetRequest(grpc::ServerContext* context,
                          const approval::v1::GetRequestRequest* request,
                          approval::v1::GetRequestResponse* response) override;
  grpc::Status ApproveRequest(grpc::ServerContext* context,
                              const approval::v1::ApproveRequestRequest* request,
                              approval::v1::ApproveRequestResponse* response) override;
  grpc::Status DenyRequest(grpc::ServerContext* context,
                           const approval::v1::DenyRequestRequest* request,
                           approval::v1::DenyRequestResponse* response) override;
  grpc::Status RevokeRequest(grpc::ServerContext* context,
                             const approval::v1::RevokeRequestRequest* request,
                             approval::v1::RevokeRequestResponse* response) override;
  grpc::Status ReopenRequest(grpc::ServerContext* context,
                             const approval::v1::ReopenRequestRequest* request,
                             approval::v1::ReopenRequestResponse* response) override;
  grpc::Status ListEvents(grpc::ServerContext* context,
                          const approval::v1::ListEventsRequest* request,
                          approval::v1::ListEventsResponse* response) override;
  grpc::ServerWriteReactor<approval::v1::WatchRequestsResponse>* WatchRequests(
      grpc::CallbackServerContext* context,
      const approval::v1::WatchRequestsRequest* request) override;

 private:
  // The four decision methods differ only in the action; requests carry `id` and `reason`,
  // responses `request`.
  template <typename Request, typename Response>
  grpc::Status ApplyAction(grpc::ServerContext* context, ReviewAction action,
                           const Request& request, Response* response);
  // Claims travel only with ApproveRequest.
  static absl::StatusOr<ReturnedClaims> ClaimsOf(const approval::v1::ApproveRequestRequest& r);
  template <typename Request>
  static absl::StatusOr<ReturnedClaims> ClaimsOf(const Request&) {
    return ReturnedClaims{};
  }

  ApprovalService& approvals_;
  CallGuard& guard_;
  ChangeFeed& feed_;
  StreamAccess& streams_;
};

}  // namespace gatehouse::core
