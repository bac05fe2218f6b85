#pragma once

#include <atomic>

#include "domain/approval_service.h"

namespace gatehouse::core {

// One round of housekeeping, run periodically by the server: records overdue pending requests
// as expired (so lists and the audit log show expiry close to when it happened; the decision
// paths already treat them as expired) and purges personal data past the retention period.
// Works in batches and ends early once `stopping` turns true.
void RunHousekeeping(ApprovalService& approvals, const std::atomic<bool>& stopping);

}  // namespace gatehouse::core
