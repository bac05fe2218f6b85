#pragma once

#include "absl/status/statusor.h"
#include "approval/v1/connector_service.pb.h"
#include "approval/v1/request.pb.h"
#include "approval/v1/review_service.pb.h"
#include "domain/applicant.h"
#include "domain/approval_request.h"
#include "domain/audit_event.h"
#include "domain/connector_outcome.h"

namespace gatehouse::core {

// Translation between the wire messages of approval.v1 and domain types; nothing more.

// Also types the scalar claims of claims_json for policy rules; INVALID_ARGUMENT when
// claims_json is not a JSON object.
absl::StatusOr<Applicant> FromProto(const approval::v1::Applicant& proto);
FederatedIdentity FromProto(const approval::v1::FederatedIdentity& proto);

approval::v1::RequestState ToProto(RequestState state);
// nullopt for REQUEST_STATE_UNSPECIFIED or an unknown value.
std::optional<RequestState> FromProto(approval::v1::RequestState state);

void ToProto(const ApprovalRequest& request, approval::v1::ApprovalRequest* proto);

// INVALID_ARGUMENT for a claim without a value.
absl::StatusOr<ReturnedClaims> FromProto(
    const google::protobuf::Map<std::string, approval::v1::ClaimValue>& proto);
void ToProto(const ConnectorOutcome& outcome, approval::v1::ConnectorOutcome* proto);
void ToProto(const AuditEvent& event, approval::v1::AuditEvent* proto);

}  // namespace gatehouse::core
