#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "approval/v1/request.pb.h"

namespace gatehouse::cli {

using ClaimMap = google::protobuf::Map<std::string, approval::v1::ClaimValue>;

// Parses `--set` arguments: `name=text` sets a string; `name:=value` sets a typed JSON scalar
// (an integer, a number, true or false), as HTTPie does. INVALID_ARGUMENT naming the bad
// argument; a name given twice is an error too.
absl::StatusOr<ClaimMap> ParseClaimAssignments(const std::vector<std::string>& assignments);

}  // namespace gatehouse::cli
