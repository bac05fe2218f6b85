#include "core/grpc_core_client.h"

#include <grpcpp/generic/generic_stub.h>
#include <spdlog/spdlog.h>

#include "common/bearer.h"
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
      authorization_(BearerHeader(token)),
      ready_deadline_(ready_deadline),
      approval_stream_(*stub_, authorization_, kMaxBatch) {}

absl::StatusOr<Decision> GrpcCoreClient::Decide(Hook hook, const ApplicantClaims& claims,
                                                std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  if (hook == Hook::kRequestApproval) {
    absl::StatusOr<Decision> answer = approval_stream_.Call(claims, until);
    if (answer.status().code() != absl::StatusCode::kUnimplemented) return answer;
    // A core older than this gateway: nothing was recorded, so ask it by a call.
    std::call_once(warned_unstreamed_, [] {
      spdlog::warn(
          "approval-core does not know StreamApprovals (it is older than this gateway); hook 2 "
          "goes by RequestApproval calls until it is upgraded");
    });
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       (until - std::chrono::steady_clock::now()));
  context.AddMetadata("authorization", authorization_);
  if (hook == Hook::kRequestApproval) {
    return AskAbout(claims, *stub_, &pb::ConnectorService::Stub::RequestApproval, context);
  }
  return AskAbout(claims, *stub_, &pb::ConnectorService::Stub::CheckApprovalStatus, context);
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
