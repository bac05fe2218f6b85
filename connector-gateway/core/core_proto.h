#pragma once

#include <grpcpp/grpcpp.h>

#include <vector>

#include "absl/status/statusor.h"
#include "approval/v1/connector_service.pb.h"
#include "common/grpc_status.h"
#include "model/applicant_claims.h"
#include "model/decision.h"

namespace gatehouse::gateway {

// Between the gateway's model and approval.v1's messages.
void ToProto(const ApplicantClaims& claims, approval::v1::Applicant* applicant);
absl::StatusOr<Decision> FromProto(const approval::v1::ConnectorOutcome& outcome);
// An answer, never OK: a failure that claims to be OK is the core's mistake, not a decision.
absl::Status FromProto(const approval::v1::CallFailure& failure);
// One answer per applicant asked; all INTERNAL if the count is not `asked`.
std::vector<absl::StatusOr<Decision>> FromProto(
    const approval::v1::StreamApprovalsResponse& response, size_t asked);

}  // namespace gatehouse::gateway
