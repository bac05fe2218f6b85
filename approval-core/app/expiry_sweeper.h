#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "domain/approval_service.h"

namespace gatehouse::core {

// Records overdue pending requests as expired once at start-up and then every `interval`, so
// lists and the audit log show expiry close to when it happened (the decision paths already
// treat overdue requests as expired). Stops, promptly, when destroyed.
class ExpirySweeper {
 public:
  ExpirySweeper(ApprovalService& approvals, absl::Duration interval);
  ~ExpirySweeper();
  ExpirySweeper(const ExpirySweeper&) = delete;
  ExpirySweeper& operator=(const ExpirySweeper&) = delete;

 private:
  void Run();
  void SweepOnce();

  ApprovalService& approvals_;
  const absl::Duration interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace gatehouse::core
