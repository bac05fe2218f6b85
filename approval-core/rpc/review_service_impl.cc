#include "rpc/review_service_impl.h"

#include "absl/strings/str_cat.h"
#include "rpc/proto_mapping.h"
#include "rpc/watch_reactor.h"

namespace gatehouse::core {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr int kDefaultEventPageSize = 100;
constexpr int kMaxEventPageSize = 1000;

absl::Status RequireId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("a request id is required");
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReviewServiceImpl::ListRequests(grpc::ServerContext* context,
                                             const approval::v1::ListRequestsRequest* request,
                                             approval::v1::ListRequestsResponse* response) {
  return guard_.Run(
      *context, {Role::kReviewer, Role::kReader}, [&](const Principal&) -> absl::Status {
        if (request->page_size() < 0 || request->page_size() > kMaxPageSize) {
          return absl::InvalidArgumentError(
              absl::StrCat("page_size must be between 0 and ", kMaxPageSize));
        }
        RequestQuery query{
            .search = request->search(),
            .limit = request->page_size() == 0 ? kDefaultPageSize : request->page_size(),
            .page_token = request->page_token()};
        if (request->state() != approval::v1::REQUEST_STATE_UNSPECIFIED) {
          query.state = FromProto(request->state());
          if (!query.state) return absl::InvalidArgumentError("unknown state filter");
        }
        auto page = approvals_.List(query);
        if (!page.ok()) return page.status();
        for (const ApprovalRequest& found : page->requests) {
          ToProto(found, response->add_requests());
        }
        response->set_next_page_token(page->next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status ReviewServiceImpl::GetRequest(grpc::ServerContext* context,
                                           const approval::v1::GetRequestRequest* request,
                                           approval::v1::GetRequestResponse* response) {
  return guard_.Run(*context, {Role::kReviewer, Role::kReader},
                    [&](const Principal&) -> absl::Status {
                      if (auto s = RequireId(request->id()); !s.ok()) return s;
                      auto found = approvals_.Get(request->id());
                      if (!found.ok()) return found.status();
                      ToProto(*found, response->mutable_request());
                      return absl::OkStatus();
                    });
}

absl::StatusOr<ReturnedClaims> ReviewServiceImpl::ClaimsOf(
    const approval::v1::ApproveRequestRequest& request) {
  return FromProto(request.returned_claims());
}

grpc::Status ReviewServiceImpl::ListEvents(grpc::ServerContext* context,
                                           const approval::v1::ListEventsRequest* request,
                                           approval::v1::ListEventsResponse* response) {
  return guard_.Run(
      *context, {Role::kReviewer, Role::kReader}, [&](const Principal&) -> absl::Status {
        if (request->page_size() < 0 || request->page_size() > kMaxEventPageSize) {
          return absl::InvalidArgumentError(
              absl::StrCat("page_size must be between 0 and ", kMaxEventPageSize));
        }
        if (request->since_revision() < 0) {
          return absl::InvalidArgumentError("since_revision must not be negative");
        }
        auto events = approvals_.ListEvents(
            {.request_id = request->request_id(),
             .after_revision = request->since_revision(),
             .limit = request->page_size() == 0 ? kDefaultEventPageSize : request->page_size()});
        if (!events.ok()) return events.status();
        for (const AuditEvent& event : *events) ToProto(event, response->add_events());
        return absl::OkStatus();
      });
}

grpc::ServerWriteReactor<approval::v1::WatchRequestsResponse>* ReviewServiceImpl::WatchRequests(
    grpc::CallbackServerContext* context, const approval::v1::WatchRequestsRequest* request) {
  auto access = streams_.Admit(*context, {Role::kReviewer, Role::kReader});
  if (access.ok() && request->since_revision() < 0) {
    access = absl::InvalidArgumentError("since_revision must not be negative");
  }
  // Refused, the stream finishes at once with the status.
  return new WatchReactor(*context, approvals_, feed_, std::move(access),
                          request->since_revision());
}

template <typename Request, typename Response>
grpc::Status ReviewServiceImpl::ApplyAction(grpc::ServerContext* context, ReviewAction action,
                                            const Request& request, Response* response) {
  return guard_.Run(*context, {Role::kReviewer}, [&](const Principal& reviewer) -> absl::Status {
    if (auto s = RequireId(request.id()); !s.ok()) return s;
    auto claims = ClaimsOf(request);
    if (!claims.ok()) return claims.status();
    auto changed = approvals_.Apply(action, request.id(), reviewer.name, request.reason(), *claims);
    if (!changed.ok()) return changed.status();
    ToProto(*changed, response->mutable_request());
    return absl::OkStatus();
  });
}

grpc::Status ReviewServiceImpl::ApproveRequest(grpc::ServerContext* context,
                                               const approval::v1::ApproveRequestRequest* request,
                                               approval::v1::ApproveRequestResponse* response) {
  return ApplyAction(context, ReviewAction::kApprove, *request, response);
}

grpc::Status ReviewServiceImpl::DenyRequest(grpc::ServerContext* context,
                                            const approval::v1::DenyRequestRequest* request,
                                            approval::v1::DenyRequestResponse* response) {
  return ApplyAction(context, ReviewAction::kDeny, *request, response);
}

grpc::Status ReviewServiceImpl::RevokeRequest(grpc::ServerContext* context,
                                              const approval::v1::RevokeRequestRequest* request,
                                              approval::v1::RevokeRequestResponse* response) {
  return ApplyAction(context, ReviewAction::kRevoke, *request, response);
}

grpc::Status ReviewServiceImpl::ReopenRequest(grpc::ServerContext* context,
                                              const approval::v1::ReopenRequestRequest* request,
                                              approval::v1::ReopenRequestResponse* response) {
  return ApplyAction(context, ReviewAction::kReopen, *request, response);
}

}  // namespace gatehouse::core
