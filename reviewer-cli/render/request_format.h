#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "approval/v1/request.pb.h"
#include "approval/v1/review_service.pb.h"

namespace gatehouse::cli {

// "pending", "approved", ...
std::string StateName(approval::v1::RequestState state);

// RFC 3339 in UTC, "-" when unset.
std::string FormatTime(const google::protobuf::Timestamp& time);

// "45s", "12m", "3h", "5d" before `now`; "-" when unset.
std::string FormatAge(const google::protobuf::Timestamp& time, absl::Time now);

// Issuer of the first federated identity, or "local" for email accounts.
std::string ProviderOf(const approval::v1::ApprovalRequest& request);

// Display name, else "given surname".
std::string NameOf(const approval::v1::ApprovalRequest& request);

// A stable JSON form for scripts: lower-case states, RFC 3339 times, claims as JSON.
nlohmann::ordered_json ToJson(const approval::v1::ApprovalRequest& request);

// "approved", "auto_denied", ...
std::string EventName(approval::v1::EventType type);

nlohmann::ordered_json ToJson(const approval::v1::AuditEvent& event);

// The audit history as a table (aligned on a terminal, tab-separated otherwise), states
// coloured when `colour`.
void PrintHistory(std::ostream& out, const std::vector<approval::v1::AuditEvent>& events,
                  bool aligned, bool colour);

// "request X (approved by alice at …: reason)": the request another applicant with the same
// email made, which this one did not match; just "request X" when `other` could not be read.
std::string DescribeSameEmail(const approval::v1::ApprovalRequest& request,
                              const approval::v1::ApprovalRequest* other);

// Everything known about one request as "key: value" lines, terminal-safe, the state coloured
// when `colour`. `same_email` is the request named by its same_email_as, if it could be read.
void PrintDetail(std::ostream& out, const approval::v1::ApprovalRequest& request, bool colour,
                 const approval::v1::ApprovalRequest* same_email = nullptr);

}  // namespace gatehouse::cli
