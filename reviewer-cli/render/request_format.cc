#include "render/request_format.h"

#include <cctype>
#include <map>

#include "absl/strings/str_cat.h"
#include "render/colour.h"
#include "render/table.h"
#include "render/terminal_safe.h"

namespace gatehouse::cli {
namespace {

namespace pb = ::approval::v1;

bool IsSet(const google::protobuf::Timestamp& time) {
  return time.seconds() != 0 || time.nanos() != 0;
}

absl::Time ToTime(const google::protobuf::Timestamp& time) {
  return absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
}

nlohmann::ordered_json TimeOrNull(const google::protobuf::Timestamp& time) {
  return IsSet(time) ? nlohmann::ordered_json(FormatTime(time)) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json ClaimJson(const pb::ClaimValue& value) {
  switch (value.kind_case()) {
    case pb::ClaimValue::kStringValue:
      return value.string_value();
    case pb::ClaimValue::kIntegerValue:
      return value.integer_value();
    case pb::ClaimValue::kNumberValue:
      return value.number_value();
    case pb::ClaimValue::kBoolValue:
      return value.bool_value();
    default:
      return nullptr;
  }
}

// Returned claims sorted by name (protobuf maps have no order).
nlohmann::ordered_json ReturnedClaimsJson(const pb::ApprovalRequest& request) {
  std::map<std::string, nlohmann::ordered_json> sorted;
  for (const auto& [name, value] : request.returned_claims()) sorted[name] = ClaimJson(value);
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (auto& [name, value] : sorted) out[name] = std::move(value);
  return out;
}

}  // namespace

std::string StateName(pb::RequestState state) {
  switch (state) {
    case pb::REQUEST_STATE_PENDING:
      return "pending";
    case pb::REQUEST_STATE_APPROVED:
      return "approved";
    case pb::REQUEST_STATE_DENIED:
      return "denied";
    case pb::REQUEST_STATE_EXPIRED:
      return "expired";
    case pb::REQUEST_STATE_REVOKED:
      return "revoked";
    default:
      return "unknown";
  }
}

std::string FormatTime(const google::protobuf::Timestamp& time) {
  if (!IsSet(time)) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", ToTime(time), absl::UTCTimeZone());
}

std::string FormatAge(const google::protobuf::Timestamp& time, absl::Time now) {
  if (!IsSet(time)) return "-";
  const int64_t seconds = std::max<int64_t>(0, absl::ToInt64Seconds(now - ToTime(time)));
  if (seconds < 60) return absl::StrCat(seconds, "s");
  if (seconds < 3600) return absl::StrCat(seconds / 60, "m");
  if (seconds < 86400) return absl::StrCat(seconds / 3600, "h");
  return absl::StrCat(seconds / 86400, "d");
}

std::string ProviderOf(const pb::ApprovalRequest& request) {
  const auto& identities = request.applicant().identities();
  return identities.empty() ? "local" : identities[0].issuer();
}

std::string NameOf(const pb::ApprovalRequest& request) {
  const pb::Applicant& a = request.applicant();
  if (!a.display_name().empty()) return a.display_name();
  std::string name = a.given_name();
  if (!a.surname().empty()) name += (name.empty() ? "" : " ") + a.surname();
  return name;
}

nlohmann::ordered_json ToJson(const pb::ApprovalRequest& request) {
  const pb::Applicant& a = request.applicant();
  nlohmann::ordered_json identities = nlohmann::ordered_json::array();
  for (const auto& identity : a.identities()) {
    identities.push_back({{"signInType", identity.sign_in_type()},
                          {"issuer", identity.issuer()},
                          {"issuerAssignedId", identity.issuer_assigned_id()}});
  }
  nlohmann::ordered_json claims = nlohmann::ordered_json::parse(a.claims_json(), nullptr, false);
  if (claims.is_discarded()) claims = nlohmann::ordered_json::object();
  return {{"id", request.id()},
          {"state", StateName(request.state())},
          {"email", a.email()},
          {"emailVerified", request.email_verified()},
          {"sameEmailAs", request.same_email_as()},
          {"displayName", a.display_name()},
          {"givenName", a.given_name()},
          {"surname", a.surname()},
          {"identities", identities},
          {"claims", claims},
          {"locale", a.locale()},
          {"clientId", a.client_id()},
          {"created", TimeOrNull(request.create_time())},
          {"updated", TimeOrNull(request.update_time())},
          {"decided", TimeOrNull(request.decide_time())},
          {"purged", TimeOrNull(request.purge_time())},
          {"decidedBy", request.decided_by()},
          {"reason", request.decision_reason()},
          {"attempts", request.attempts()},
          {"returnedClaims", ReturnedClaimsJson(request)},
          {"version", request.version()}};
}

std::string DescribeSameEmail(const pb::ApprovalRequest& request, const pb::ApprovalRequest* other) {
  std::string text = "request " + request.same_email_as();
  if (other == nullptr) return text;
  std::string detail = StateName(other->state());
  if (!other->decided_by().empty()) absl::StrAppend(&detail, " by ", other->decided_by());
  if (IsSet(other->decide_time())) absl::StrAppend(&detail, " at ", FormatTime(other->decide_time()));
  if (!other->decision_reason().empty()) absl::StrAppend(&detail, ": ", other->decision_reason());
  absl::StrAppend(&detail, ", ", ProviderOf(*other));
  return absl::StrCat(text, " (", detail, ")");
}

void PrintDetail(std::ostream& out, const pb::ApprovalRequest& request, bool colour,
                 const pb::ApprovalRequest* same_email) {
  const pb::Applicant& a = request.applicant();
  auto line = [&out](std::string_view key, const std::string& value) {
    out << key << ": " << (value.empty() ? "-" : TerminalSafe(value)) << '\n';
  };
  line("id", request.id());
  const std::string state = StateName(request.state());
  out << "state: " << Paint(state, StateColour(state), colour) << '\n';
  line("email", a.email().empty() ? ""
                                   : absl::StrCat(a.email(), request.email_verified()
                                                                 ? " (verified)"
                                                                 : " (not verified)"));
  if (!request.same_email_as().empty()) {
    // Not the same person as far as anyone can tell: their own request, decided on its own.
    out << Paint("same email as", Colour::kBold, colour) << ": "
        << TerminalSafe(DescribeSameEmail(request, same_email)) << '\n';
  }
  line("name", NameOf(request));
  line("given name", a.given_name());
  line("surname", a.surname());
  if (a.identities().empty()) line("identity", "local account");
  for (const auto& identity : a.identities()) {
    line("identity", absl::StrCat(identity.issuer(), " / ", identity.issuer_assigned_id(),
                                  identity.sign_in_type().empty()
                                      ? ""
                                      : absl::StrCat(" (", identity.sign_in_type(), ")")));
  }
  line("locale", a.locale());
  line("client id", a.client_id());
  line("created", FormatTime(request.create_time()));
  line("updated", FormatTime(request.update_time()));
  if (IsSet(request.decide_time())) {  // a pending request has no decision lines to show
    line("decided", FormatTime(request.decide_time()));
    line("decided by", request.decided_by());
    line("reason", request.decision_reason());
  }
  if (IsSet(request.purge_time())) {
    line("purged", FormatTime(request.purge_time()) + " (personal data removed)");
  }
  line("attempts", std::to_string(request.attempts()));
  const nlohmann::ordered_json returned = ReturnedClaimsJson(request);
  if (!returned.empty()) {
    out << "returned on continue:\n";
    for (const auto& [key, value] : returned.items()) {
      out << "  " << TerminalSafe(key) << ": "
          << TerminalSafe(value.is_string() ? value.get<std::string>() : value.dump()) << '\n';
    }
  }
  nlohmann::json claims = nlohmann::json::parse(a.claims_json(), nullptr, false);
  if (claims.is_discarded() || !claims.is_object() || claims.empty()) {
    line("claims", "");
  } else {
    out << "claims:\n";
    for (const auto& [key, value] : claims.items()) {
      out << "  " << TerminalSafe(key) << ": "
          << TerminalSafe(value.is_string() ? value.get<std::string>() : value.dump()) << '\n';
    }
  }
}

std::string EventName(pb::EventType type) {
  std::string name = pb::EventType_Name(type);
  constexpr std::string_view kPrefix = "EVENT_TYPE_";
  if (name.starts_with(kPrefix)) name = name.substr(kPrefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

nlohmann::ordered_json ToJson(const pb::AuditEvent& event) {
  return {{"revision", event.revision()},
          {"time", FormatTime(event.time())},
          {"event", EventName(event.type())},
          {"actor", event.actor()},
          {"state", StateName(event.state_after())},
          {"reason", event.reason()}};
}

void PrintHistory(std::ostream& out, const std::vector<pb::AuditEvent>& events, bool aligned,
                  bool colour) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& event : events) {
    rows.push_back({std::to_string(event.revision()), FormatTime(event.time()),
                    EventName(event.type()), event.actor(), StateName(event.state_after()),
                    event.reason()});
  }
  PrintTable(out, {"REVISION", "TIME", "EVENT", "ACTOR", "STATE", "REASON"}, rows,
             {.aligned = aligned, .state_column = 4, .colour = colour});
}

}  // namespace gatehouse::cli
