#include "core/core_proto.h"

#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {

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

absl::Status FromProto(const pb::CallFailure& failure) {
  if (failure.code() <= 0 ||
      failure.code() > static_cast<int>(absl::StatusCode::kUnauthenticated)) {
    return absl::InternalError(
        absl::StrCat("approval-core sent failure code ", failure.code(), ": ", failure.message()));
  }
  return absl::Status(static_cast<absl::StatusCode>(failure.code()), failure.message());
}

std::vector<absl::StatusOr<Decision>> FromProto(const pb::StreamApprovalsResponse& response,
                                                size_t asked) {
  using Answers = std::vector<absl::StatusOr<Decision>>;
  if (static_cast<size_t>(response.results_size()) != asked) {
    return Answers(
        asked, absl::InternalError(absl::StrCat("approval-core answered ", response.results_size(),
                                                " of ", asked, " applicants")));
  }
  Answers answers;
  answers.reserve(asked);
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

}  // namespace gatehouse::gateway
