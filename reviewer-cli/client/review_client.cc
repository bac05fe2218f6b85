#include "client/review_client.h"

#include <type_traits>

#include "absl/strings/str_cat.h"
#include "common/bearer.h"
#include "common/grpc_status.h"

namespace gatehouse::cli {
namespace {

namespace pb = ::approval::v1;

}  // namespace

ReviewClient::ReviewClient(std::shared_ptr<grpc::Channel> channel, std::string token,
                           std::chrono::milliseconds deadline)
    : review_(pb::ReviewService::NewStub(channel)),
      status_(pb::StatusService::NewStub(channel)),
      authorization_(BearerHeader(token)),
      deadline_(deadline) {}

void ReviewClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  context.AddMetadata("authorization", authorization_);
}

absl::StatusOr<pb::ListRequestsResponse> ReviewClient::List(
    const pb::ListRequestsRequest& request) {
  grpc::ClientContext context;
  Prepare(context);
  pb::ListRequestsResponse response;
  grpc::Status status = review_->ListRequests(&context, request, &response);
  if (!status.ok()) return ToAbsl(status);
  return response;
}

absl::StatusOr<pb::ApprovalRequest> ReviewClient::Get(const std::string& id) {
  grpc::ClientContext context;
  Prepare(context);
  pb::GetRequestRequest request;
  request.set_id(id);
  pb::GetRequestResponse response;
  grpc::Status status = review_->GetRequest(&context, request, &response);
  if (!status.ok()) return ToAbsl(status);
  return response.request();
}

absl::StatusOr<std::vector<pb::AuditEvent>> ReviewClient::History(const std::string& id) {
  constexpr int kPage = 1000;
  std::vector<pb::AuditEvent> events;
  pb::ListEventsRequest request;
  request.set_request_id(id);
  request.set_page_size(kPage);
  while (true) {
    grpc::ClientContext context;
    Prepare(context);
    pb::ListEventsResponse response;
    grpc::Status status = review_->ListEvents(&context, request, &response);
    if (!status.ok()) return ToAbsl(status);
    for (const auto& event : response.events()) events.push_back(event);
    if (response.events_size() < kPage) return events;
    request.set_since_revision(events.back().revision());
  }
}

absl::StatusOr<pb::ApprovalRequest> ReviewClient::Status(const std::string& id,
                                                         const std::string& email) {
  grpc::ClientContext context;
  Prepare(context);
  pb::GetApprovalStatusRequest request;
  if (!id.empty()) {
    request.set_id(id);
  } else {
    request.set_email(email);
  }
  pb::GetApprovalStatusResponse response;
  grpc::Status status = status_->GetApprovalStatus(&context, request, &response);
  if (!status.ok()) return ToAbsl(status);
  return response.request();
}

absl::Status ReviewClient::Watch(
    int64_t since_revision,
    const std::function<void(const pb::WatchRequestsResponse&)>& on_change) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", authorization_);
  pb::WatchRequestsRequest request;
  request.set_since_revision(since_revision);
  auto reader = review_->WatchRequests(&context, request);
  pb::WatchRequestsResponse change;
  while (reader->Read(&change)) on_change(change);
  return ToAbsl(reader->Finish());
}

template <typename Request, typename Response, typename Method>
absl::StatusOr<pb::ApprovalRequest> ReviewClient::CallDecision(
    Method method, const std::string& id, const std::string& reason,
    const google::protobuf::Map<std::string, pb::ClaimValue>& claims) {
  grpc::ClientContext context;
  Prepare(context);
  Request request;
  request.set_id(id);
  request.set_reason(reason);
  if constexpr (std::is_same_v<Request, pb::ApproveRequestRequest>) {
    *request.mutable_returned_claims() = claims;
  }
  Response response;
  grpc::Status status = (review_.get()->*method)(&context, request, &response);
  if (!status.ok()) return ToAbsl(status);
  return response.request();
}

absl::StatusOr<pb::ApprovalRequest> ReviewClient::Decide(
    Verdict verdict, const std::string& id, const std::string& reason,
    const google::protobuf::Map<std::string, pb::ClaimValue>& claims) {
  using Stub = pb::ReviewService::Stub;
  switch (verdict) {
    case Verdict::kApprove:
      return CallDecision<pb::ApproveRequestRequest, pb::ApproveRequestResponse>(
          &Stub::ApproveRequest, id, reason, claims);
    case Verdict::kDeny:
      return CallDecision<pb::DenyRequestRequest, pb::DenyRequestResponse>(&Stub::DenyRequest, id,
                                                                           reason, claims);
    case Verdict::kRevoke:
      return CallDecision<pb::RevokeRequestRequest, pb::RevokeRequestResponse>(&Stub::RevokeRequest,
                                                                               id, reason, claims);
    case Verdict::kReopen:
      return CallDecision<pb::ReopenRequestRequest, pb::ReopenRequestResponse>(&Stub::ReopenRequest,
                                                                               id, reason, claims);
  }
  return absl::InvalidArgumentError("unknown verdict");
}

}  // namespace gatehouse::cli
