#pragma once

namespace gatehouse {

// Turns off absl::Mutex deadlock detection, which Debian's Abseil builds in and which every
// lock gRPC takes pays for (bench/FINDINGS.md). Call before gRPC starts a thread; the sanitizer
// builds (tests/sanitizers.sh) are where lock-order problems are looked for.
void DisableMutexDeadlockDetection();

}  // namespace gatehouse
