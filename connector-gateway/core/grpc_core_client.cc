#include "core/grpc_core_client.h"

#include <grpcpp/generic/generic_stub.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {
namespace {

namespace pb = ::approval::v1;

void ToProto(const ApplicantClaims& claims, pb::Applicant* applicant) {
  applicant->set_email(claims.email);
  for (const Identity& identity : claims.identities) {
    pb::FederatedIdentity* out = applicant->add_identities();
    out->set_sign_in_type(identity.sign_in_type);
    out->set_issuer(identity.issuer);
    out->set_issuer_assigned_id(identity.issuer_assigned_id);
  }
  applicant->set_display_name(claims.display_name);
  applicant->set_given_name(claims.given_name);
  applicant->set_surname(claims.surname);
  applicant->set_claims_json(claims.other_claims_json);
  applicant->set_locale(claims.locale);
  applicant->set_client_id(claims.client_id);
}

absl::StatusOr<Decision> FromProto(const pb::ConnectorOutcome& outcome) {
  Decision decision;
  decision.request_id = outcome.request_id();
  switch (outcome.action()) {
    case pb::CONNECTOR_ACTION_CONTINUE:
      decision.action = Decision::Action::kContinue;
      decision.reason = Decision::Reason::kNone;
      for (const auto& [name, value] : outcome.returned_claims()) {
        switch (value.kind_case()) {
          case pb::ClaimValue::kStringValue:
            decision.returned_claims.emplace(name, value.string_value());
            break;
          case pb::ClaimValue::kIntegerValue:
            decision.returned_claims.emplace(name, value.integer_value());
            break;
          case pb::ClaimValue::kNumberValue:
            decision.returned_claims.emplace(name, value.number_value());
            break;
          case pb::ClaimValue::kBoolValue:
            decision.returned_claims.emplace(name, value.bool_value());
            break;
          case pb::ClaimValue::KIND_NOT_SET:
            break;  // nothing to return
        }
      }
      return decision;
    case pb::CONNECTOR_ACTION_BLOCK:
      decision.action = Decision::Action::kBlock;
      break;
    case pb::CONNECTOR_ACTION_INVALID:
      decision.action = Decision::Action::kInvalid;
      break;
    default:
      // A newer core may know actions we don't: not knowing means not letting anyone in.
      return absl::InternalError(absl::StrCat("unknown connector action ", outcome.action()));
  }
  switch (outcome.reason()) {
    case pb::BLOCK_REASON_PENDING:
      decision.reason = Decision::Reason::kPending;
      break;
    case pb::BLOCK_REASON_REQUESTED:
      decision.reason = Decision::Reason::kRequested;
      break;
    case pb::BLOCK_REASON_DENIED:
      decision.reason = Decision::Reason::kDenied;
      break;
    case pb::BLOCK_REASON_AUTO_DENIED:
      decision.reason = Decision::Reason::kAutoDenied;
      break;
    case pb::BLOCK_REASON_MISSING_IDENTITY:
      decision.reason = Decision::Reason::kMissingIdentity;
      break;
    default:
      decision.reason = Decision::Reason::kUnavailable;
      break;
  }
  return decision;
}

// An answer, never OK: a failure that claims to be OK is the core's mistake, not a decision.
absl::Status FromProto(const pb::CallFailure& failure) {
  if (failure.code() <= 0 ||
      failure.code() > static_cast<int>(absl::StatusCode::kUnauthenticated)) {
    return absl::InternalError(
        absl::StrCat("approval-core sent failure code ", failure.code(), ": ", failure.message()));
  }
  return absl::Status(static_cast<absl::StatusCode>(failure.code()), failure.message());
}

absl::Status ToAbsl(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

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
          kMaxBatch, kMaxCallsInFlight) {}

void GrpcCoreClient::Prepare(grpc::ClientContext& context,
                             CallBatcher::Clock::time_point deadline) const {
  // gRPC takes system_clock deadlines; the batcher keeps steady ones.
  context.set_deadline(std::chrono::system_clock::now() + (deadline - CallBatcher::Clock::now()));
  context.AddMetadata("authorization", authorization_);
}

absl::StatusOr<Decision> GrpcCoreClient::Decide(Hook hook, const ApplicantClaims& claims,
                                                std::chrono::milliseconds deadline) {
  if (hook == Hook::kRequestApproval) {
    return request_approvals_.Call(claims, CallBatcher::Clock::now() + deadline);
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
  if (static_cast<size_t>(response.results_size()) != applicants.size()) {
    return Answers(applicants.size(), absl::InternalError(absl::StrCat(
                                          "approval-core answered ", response.results_size(),
                                          " of ", applicants.size(), " applicants")));
  }
  Answers answers;
  answers.reserve(applicants.size());
  for (const pb::RequestApprovalResult& result : response.results()) {
    switch (result.result_case()) {
      case pb::RequestApprovalResult::kOutcome:
        answers.push_back(FromProto(result.outcome()));
        break;
      case pb::RequestApprovalResult::kFailure:
        answers.push_back(FromProto(result.failure()));
        break;
      case pb::RequestApprovalResult::RESULT_NOT_SET:
        answers.push_back(absl::InternalError("approval-core sent an empty result"));
        break;
    }
  }
  return answers;
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
