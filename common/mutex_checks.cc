#include "common/mutex_checks.h"

#include "absl/synchronization/mutex.h"

namespace gatehouse {

void DisableMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace gatehouse
