#include "rpc/connector_service_impl.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rpc/approval_stream_reactor.h"
#include "rpc/change_notice_reactor.h"
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
  return AnswerLater(
      context, [&](const Principal&, std::function<void(absl::Status)> finish) -> absl::Status {
        auto applicant = FromProto(request->applicant());
        if (!applicant.ok()) return applicant.status();
        approvals_.RequestApprovalAsync(*applicant, [response, finish = std::move(finish)](
                                                        absl::StatusOr<ConnectorOutcome> outcome) {
          if (outcome.ok()) ToProto(*outcome, response->mutable_outcome());
          finish(outcome.status());
        });
        return absl::OkStatus();
      });
}

grpc::ServerBidiReactor<approval::v1::StreamApprovalsRequest,
                        approval::v1::StreamApprovalsResponse>*
ConnectorServiceImpl::StreamApprovals(grpc::CallbackServerContext* context) {
  return new ApprovalStreamReactor(*context, guard_, feed_,
                                   streams_.Admit(*context, {Role::kConnector}),
                                   std::bind_front(&ConnectorServiceImpl::StartApprovals, this));
}

absl::Status ConnectorServiceImpl::StartApprovals(
    const approval::v1::StreamApprovalsRequest& request,
    approval::v1::StreamApprovalsResponse* response, std::function<void(absl::Status)> finish) {
  const int count = request.applicants_size();
  if (count < 1 || count > kMaxApplicantsPerMessage) {
    return absl::InvalidArgumentError(absl::StrCat("a StreamApprovals message takes 1 to ",
                                                   kMaxApplicantsPerMessage, " applicants, not ",
                                                   count));
  }
  // Every result exists before any is filled in; the last one answered (counted
  // down with acquire-release, so it sees the others' writes) ends the call.
  for (int i = 0; i < count; ++i) response->add_results();
  auto unanswered = std::make_shared<std::atomic<int>>(count);
  auto answer = [this, response, unanswered, finish = std::move(finish)](
                    int index, const absl::StatusOr<ConnectorOutcome>& outcome) {
    approval::v1::RequestApprovalResult* result = response->mutable_results(index);
    if (outcome.ok()) {
      ToProto(*outcome, result->mutable_outcome());
    } else {
      guard_.NoteFailure(outcome.status());
      result->mutable_failure()->set_code(static_cast<int>(outcome.status().code()));
      result->mutable_failure()->set_message(std::string(outcome.status().message()));
    }
    if (unanswered->fetch_sub(1, std::memory_order_acq_rel) == 1) finish(absl::OkStatus());
  };
  std::vector<Applicant> applicants;
  std::vector<int> indexes;  // of applicants[j] in the call
  for (int i = 0; i < count; ++i) {
    auto applicant = FromProto(request.applicants(i));
    if (!applicant.ok()) {
      answer(i, applicant.status());
      continue;
    }
    applicants.push_back(*std::move(applicant));
    indexes.push_back(i);
  }
  approvals_.RequestApprovalsAsync(
      applicants,
      [answer, indexes = std::move(indexes)](size_t j, absl::StatusOr<ConnectorOutcome> outcome) {
        answer(indexes[j], outcome);
      });
  return absl::OkStatus();
}

grpc::ServerWriteReactor<approval::v1::WatchChangesResponse>* ConnectorServiceImpl::WatchChanges(
    grpc::CallbackServerContext* context, const approval::v1::WatchChangesRequest*) {
  // Refused, the stream finishes at once with the status.
  return new ChangeNoticeReactor(*context, feed_, streams_.Admit(*context, {Role::kConnector}));
}

}  // namespace gatehouse::core
