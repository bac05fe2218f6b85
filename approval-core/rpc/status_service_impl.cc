#include "rpc/status_service_impl.h"

#include "rpc/proto_mapping.h"

namespace gatehouse::core {

grpc::Status StatusServiceImpl::GetApprovalStatus(
    grpc::ServerContext* context, const approval::v1::GetApprovalStatusRequest* request,
    approval::v1::GetApprovalStatusResponse* response) {
  using Lookup = approval::v1::GetApprovalStatusRequest;
  return guard_.Run(
      *context, {Role::kReviewer, Role::kReader}, [&](const Principal&) -> absl::Status {
        absl::StatusOr<ApprovalRequest> found;
        switch (request->lookup_case()) {
          case Lookup::kId:
            found = approvals_.Get(request->id());
            break;
          case Lookup::kEmail:
            found = approvals_.FindLatest(Applicant{.email = request->email()});
            break;
          case Lookup::kIdentity:
            found =
                approvals_.FindLatest(Applicant{.identities = {FromProto(request->identity())}});
            break;
          case Lookup::LOOKUP_NOT_SET:
            return absl::InvalidArgumentError("set one of id, email or identity");
        }
        if (!found.ok()) return found.status();
        ToProto(*found, response->mutable_request());
        return absl::OkStatus();
      });
}

}  // namespace gatehouse::core
