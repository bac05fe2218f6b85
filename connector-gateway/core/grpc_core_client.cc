#include "core/grpc_core_client.h"

#include <grpcpp/generic/generic_stub.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "core/core_proto.h"

namespace gatehouse::gateway {
namespace {

namespace pb = ::approval::v1;

// Asks the core about one applicant with `ask` (CheckApprovalStatus or RequestApproval, whose
// requests carry an applicant and whose answers an outcome).
template <typename Request, typename Response>
absl::StatusOr<Decision> AskAbout(const ApplicantClaims& applicant,
                                  pb::ConnectorService::Stub& stub,
                                  grpc::Status (pb::ConnectorService::Stub::*ask)(
                                      grpc::ClientContext*, const Request&, Response*),
                                  grpc::ClientContext& context) {
  Request request;
  Response response;
  ToProto(applicant, request.mutable_applicant());
  const grpc::Status status = (stub.*ask)(&context, request, &response);
  if (!status.ok()) return ToAbsl(status);
  return FromProto(response.outcome());
}

}  // namespace

GrpcCoreClient::GrpcCoreClient(std::shared_ptr<grpc::Channel> channel, std::string token,
                               std::chrono::milliseconds ready_deadline)
    : channel_(std::move(channel)),
      stub_(pb::ConnectorService::NewStub(channel_)),
      authorization_(absl::StrCat("Bearer ", token)),
      ready_deadline_(ready_deadline),
      request_approvals_(
          [this](const std::vector<const ApplicantClaims*>& applicants,
                 CallBatcher::Clock::time_point deadline) {
            return RequestApprovals(applicants, deadline);
          },
          kMaxBatch, kMaxCallsInFlight),
      approval_stream_(*stub_, authorization_, kMaxBatch) {}

void GrpcCoreClient::Prepare(grpc::ClientContext& context,
                             CallBatcher::Clock::time_point deadline) const {
  // gRPC takes system_clock deadlines; the batcher keeps steady ones.
  context.set_deadline(std::chrono::system_clock::now() + (deadline - CallBatcher::Clock::now()));
  context.AddMetadata("authorization", authorization_);
}

absl::StatusOr<Decision> GrpcCoreClient::Decide(Hook hook, const ApplicantClaims& claims,
                                                std::chrono::milliseconds deadline) {
  if (hook == Hook::kRequestApproval) {
    const CallBatcher::Clock::time_point now = CallBatcher::Clock::now();
    if (now.time_since_epoch().count() >= calls_until_.load(std::memory_order_relaxed)) {
      absl::StatusOr<Decision> answer = approval_stream_.Call(claims, now + deadline);
      if (answer.status().code() != absl::StatusCode::kUnimplemented) return answer;
      // A core older than this gateway: nothing was recorded. Calls it knows, for a while.
      calls_until_.store((now + kStreamRetry).time_since_epoch().count(),
                         std::memory_order_relaxed);
      if (!warned_unstreamed_.exchange(true)) {
        spdlog::warn(
            "approval-core does not know StreamApprovals (it is older than this gateway); hook 2 "
            "goes by calls, which is slower under load, until it is upgraded");
      }
    }
    return request_approvals_.Call(claims, now + deadline);
  }
  grpc::ClientContext context;
  Prepare(context, CallBatcher::Clock::now() + deadline);
  return AskAbout(claims, *stub_, &pb::ConnectorService::Stub::CheckApprovalStatus, context);
}

absl::StatusOr<Decision> GrpcCoreClient::RequestApproval(const ApplicantClaims& applicant,
                                                         CallBatcher::Clock::time_point deadline) {
  grpc::ClientContext context;
  Prepare(context, deadline);
  return AskAbout(applicant, *stub_, &pb::ConnectorService::Stub::RequestApproval, context);
}

std::vector<absl::StatusOr<Decision>> GrpcCoreClient::RequestApprovals(
    const std::vector<const ApplicantClaims*>& applicants,
    CallBatcher::Clock::time_point deadline) {
  using Answers = std::vector<absl::StatusOr<Decision>>;
  if (applicants.size() == 1) return Answers{RequestApproval(*applicants.front(), deadline)};
  grpc::ClientContext context;
  Prepare(context, deadline);
  pb::RequestApprovalsRequest request;
  pb::RequestApprovalsResponse response;
  for (const ApplicantClaims* applicant : applicants) ToProto(*applicant, request.add_applicants());
  const grpc::Status status = stub_->RequestApprovals(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    // A core older than this gateway (gateways upgraded first): nothing was recorded, so ask
    // one by one. Tried again with every batch, so an upgraded core is used at once.
    if (!warned_unbatched_.exchange(true)) {
      spdlog::warn(
          "approval-core does not know RequestApprovals (it is older than this gateway); hook 2 "
          "calls go to it one by one, which is slower under load, until it is upgraded");
    }
    Answers answers;
    for (const ApplicantClaims* applicant : applicants) {
      answers.push_back(RequestApproval(*applicant, deadline));
    }
    return answers;
  }
  if (!status.ok()) return Answers(applicants.size(), ToAbsl(status));
  return FromProto(response, applicants.size());
}

absl::Status GrpcCoreClient::Ready() {
  // grpc.health.v1 has no generated code on Debian; its messages are tiny enough to spell out.
  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + ready_deadline_);
  grpc::CompletionQueue cq;
  grpc::Slice empty("");  // HealthCheckRequest{service: ""}: the whole server
  auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check",
                                    grpc::ByteBuffer(&empty, 1), &cq);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, nullptr);
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (response.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  // HealthCheckResponse{status: SERVING} is the two bytes 0x08 0x01.
  if (bytes != std::string("\x08\x01", 2)) {
    return absl::UnavailableError("approval-core is not serving (its database is not writable)");
  }
  return absl::OkStatus();
}

}  // namespace gatehouse::gateway
