#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "domain/approval_service.h"

namespace gatehouse::core {

// Once at start-up and then every `interval`: records overdue pending requests as expired (so
// lists and the audit log show expiry close to when it happened; the decision paths already
// treat them as expired) and purges personal data past the retention period. Stops, promptly,
// when destroyed.
class Housekeeping {
 public:
  Housekeeping(ApprovalService& approvals, absl::Duration interval);
  ~Housekeeping();
  Housekeeping(const Housekeeping&) = delete;
  Housekeeping& operator=(const Housekeeping&) = delete;

 private:
  void Run();
  void RunOnce();
  // Runs `step(kBatch)` until it does less than a batch; returns the total, or -1 on error.
  template <typename Step>
  int Drain(Step step, const char* what);

  ApprovalService& approvals_;
  const absl::Duration interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace gatehouse::core
