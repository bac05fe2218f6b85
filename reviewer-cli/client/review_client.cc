#include "client/review_client.h"

#include "absl/strings/str_cat.h"

namespace gatehouse::cli {
namespace {

namespace pb = ::approval::v1;

absl::Status ToAbsl(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace

ReviewClient::ReviewClient(std::shared_ptr<grpc::Channel> channel, std::string token,
                           std::chrono::milliseconds deadline)
    : review_(pb::ReviewService::NewStub(channel)),
      authorization_(absl::StrCat("Bearer ", token)),
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

absl::StatusOr<pb::ApprovalRequest> ReviewClient::Approve(const std::string& id,
                                                          const std::string& reason) {
  grpc::ClientContext context;
  Prepare(context);
  pb::ApproveRequestRequest request;
  request.set_id(id);
  request.set_reason(reason);
  pb::ApproveRequestResponse response;
  grpc::Status status = review_->ApproveRequest(&context, request, &response);
  if (!status.ok()) return ToAbsl(status);
  return response.request();
}

absl::StatusOr<pb::ApprovalRequest> ReviewClient::Deny(const std::string& id,
                                                       const std::string& reason) {
  grpc::ClientContext context;
  Prepare(context);
  pb::DenyRequestRequest request;
  request.set_id(id);
  request.set_reason(reason);
  pb::DenyRequestResponse response;
  grpc::Status status = review_->DenyRequest(&context, request, &response);
  if (!status.ok()) return ToAbsl(status);
  return response.request();
}

}  // namespace gatehouse::cli
