#include "rpc/proto_mapping.h"

#include "json/claims_json.h"

namespace gatehouse::core {
namespace {

namespace pb = ::approval::v1;

void ToProto(absl::Time time, google::protobuf::Timestamp* proto) {
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1'000'000;
  int64_t remainder = micros % 1'000'000;
  if (remainder < 0) {  // Timestamp wants non-negative nanos
    remainder += 1'000'000;
    seconds -= 1;
  }
  proto->set_seconds(seconds);
  proto->set_nanos(static_cast<int32_t>(remainder * 1000));
}

pb::BlockReason ToProto(BlockReason reason) {
  switch (reason) {
    case BlockReason::kNone:
      return pb::BLOCK_REASON_UNSPECIFIED;
    case BlockReason::kPending:
      return pb::BLOCK_REASON_PENDING;
    case BlockReason::kRequested:
      return pb::BLOCK_REASON_REQUESTED;
    case BlockReason::kDenied:
      return pb::BLOCK_REASON_DENIED;
    case BlockReason::kAutoDenied:
      return pb::BLOCK_REASON_AUTO_DENIED;
    case BlockReason::kMissingIdentity:
      return pb::BLOCK_REASON_MISSING_IDENTITY;
  }
  return pb::BLOCK_REASON_UNSPECIFIED;
}

pb::ConnectorAction ToProto(ConnectorAction action) {
  switch (action) {
    case ConnectorAction::kContinue:
      return pb::CONNECTOR_ACTION_CONTINUE;
    case ConnectorAction::kBlock:
      return pb::CONNECTOR_ACTION_BLOCK;
    case ConnectorAction::kInvalid:
      return pb::CONNECTOR_ACTION_INVALID;
  }
  return pb::CONNECTOR_ACTION_UNSPECIFIED;
}

void ToProto(const ReturnedClaims& claims,
             google::protobuf::Map<std::string, pb::ClaimValue>* proto) {
  for (const auto& [name, value] : claims) {
    pb::ClaimValue& out = (*proto)[name];
    if (const auto* text = std::get_if<std::string>(&value)) {
      out.set_string_value(*text);
    } else if (const auto* integer = std::get_if<int64_t>(&value)) {
      out.set_integer_value(*integer);
    } else if (const auto* number = std::get_if<double>(&value)) {
      out.set_number_value(*number);
    } else {
      out.set_bool_value(std::get<bool>(value));
    }
  }
}

}  // namespace

absl::StatusOr<ReturnedClaims> FromProto(
    const google::protobuf::Map<std::string, pb::ClaimValue>& proto) {
  ReturnedClaims claims;
  for (const auto& [name, value] : proto) {
    switch (value.kind_case()) {
      case pb::ClaimValue::kStringValue:
        claims.emplace(name, value.string_value());
        break;
      case pb::ClaimValue::kIntegerValue:
        claims.emplace(name, value.integer_value());
        break;
      case pb::ClaimValue::kNumberValue:
        claims.emplace(name, value.number_value());
        break;
      case pb::ClaimValue::kBoolValue:
        claims.emplace(name, value.bool_value());
        break;
      case pb::ClaimValue::KIND_NOT_SET:
        return absl::InvalidArgumentError("claim '" + name + "' has no value");
    }
  }
  return claims;
}

FederatedIdentity FromProto(const pb::FederatedIdentity& proto) {
  return {proto.sign_in_type(), proto.issuer(), proto.issuer_assigned_id()};
}

absl::StatusOr<Applicant> FromProto(const pb::Applicant& proto) {
  Applicant applicant{.email = proto.email(),
                      .display_name = proto.display_name(),
                      .given_name = proto.given_name(),
                      .surname = proto.surname(),
                      .claims_json = proto.claims_json(),
                      .locale = proto.locale(),
                      .client_id = proto.client_id()};
  for (const auto& identity : proto.identities()) {
    applicant.identities.push_back(FromProto(identity));
  }
  if (absl::Status parsed = ParseClaimsJson(applicant); !parsed.ok()) return parsed;
  return applicant;
}

pb::RequestState ToProto(RequestState state) {
  switch (state) {
    case RequestState::kPending:
      return pb::REQUEST_STATE_PENDING;
    case RequestState::kApproved:
      return pb::REQUEST_STATE_APPROVED;
    case RequestState::kDenied:
      return pb::REQUEST_STATE_DENIED;
    case RequestState::kExpired:
      return pb::REQUEST_STATE_EXPIRED;
    case RequestState::kRevoked:
      return pb::REQUEST_STATE_REVOKED;
  }
  return pb::REQUEST_STATE_UNSPECIFIED;
}

std::optional<RequestState> FromProto(pb::RequestState state) {
  switch (state) {
    case pb::REQUEST_STATE_PENDING:
      return RequestState::kPending;
    case pb::REQUEST_STATE_APPROVED:
      return RequestState::kApproved;
    case pb::REQUEST_STATE_DENIED:
      return RequestState::kDenied;
    case pb::REQUEST_STATE_EXPIRED:
      return RequestState::kExpired;
    case pb::REQUEST_STATE_REVOKED:
      return RequestState::kRevoked;
    default:
      return std::nullopt;
  }
}

void ToProto(const ApprovalRequest& request, pb::ApprovalRequest* proto) {
  proto->set_id(request.id);
  proto->set_state(ToProto(request.state));
  pb::Applicant* applicant = proto->mutable_applicant();
  const Applicant& a = request.applicant;
  applicant->set_email(a.email);
  for (const FederatedIdentity& identity : a.identities) {
    pb::FederatedIdentity* out = applicant->add_identities();
    out->set_sign_in_type(identity.sign_in_type);
    out->set_issuer(identity.issuer);
    out->set_issuer_assigned_id(identity.issuer_assigned_id);
  }
  applicant->set_display_name(a.display_name);
  applicant->set_given_name(a.given_name);
  applicant->set_surname(a.surname);
  applicant->set_claims_json(a.claims_json);
  applicant->set_locale(a.locale);
  applicant->set_client_id(a.client_id);
  ToProto(request.created, proto->mutable_create_time());
  ToProto(request.updated, proto->mutable_update_time());
  if (request.decided) ToProto(*request.decided, proto->mutable_decide_time());
  if (request.purged) ToProto(*request.purged, proto->mutable_purge_time());
  proto->set_decided_by(request.decided_by);
  proto->set_decision_reason(request.decision_reason);
  proto->set_attempts(request.attempts);
  proto->set_version(request.version);
  ToProto(request.returned_claims, proto->mutable_returned_claims());
  proto->set_email_verified(request.applicant.email_verified);
  proto->set_same_email_as(request.same_email_as);
}

void ToProto(const ConnectorOutcome& outcome, pb::ConnectorOutcome* proto) {
  proto->set_action(ToProto(outcome.action));
  proto->set_reason(ToProto(outcome.reason));
  if (outcome.request_id) proto->set_request_id(*outcome.request_id);
  if (outcome.state) proto->set_state(ToProto(*outcome.state));
  ToProto(outcome.returned_claims, proto->mutable_returned_claims());
}

void ToProto(const AuditEvent& event, pb::AuditEvent* proto) {
  static constexpr std::pair<EventType, pb::EventType> kTypes[] = {
      {EventType::kCreated, pb::EVENT_TYPE_CREATED},
      {EventType::kSeenAgain, pb::EVENT_TYPE_SEEN_AGAIN},
      {EventType::kApproved, pb::EVENT_TYPE_APPROVED},
      {EventType::kDenied, pb::EVENT_TYPE_DENIED},
      {EventType::kRevoked, pb::EVENT_TYPE_REVOKED},
      {EventType::kReopened, pb::EVENT_TYPE_REOPENED},
      {EventType::kExpired, pb::EVENT_TYPE_EXPIRED},
      {EventType::kAutoApproved, pb::EVENT_TYPE_AUTO_APPROVED},
      {EventType::kAutoDenied, pb::EVENT_TYPE_AUTO_DENIED},
      {EventType::kPurged, pb::EVENT_TYPE_PURGED},
  };
  proto->set_revision(event.revision);
  proto->set_request_id(event.request_id);
  for (const auto& [domain, wire] : kTypes) {
    if (domain == event.type) proto->set_type(wire);
  }
  proto->set_actor(event.actor);
  proto->set_reason(event.reason);
  proto->set_state_after(ToProto(event.state_after));
  ToProto(event.time, proto->mutable_time());
}

}  // namespace gatehouse::core
