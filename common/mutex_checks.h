#pragma once

namespace gatehouse {

// Debian's Abseil is built with absl::Mutex deadlock detection on, so every lock gRPC takes
// also updates a global graph of lock orders (GraphCycles: about 4% of approval-core's CPU per
// call in bench/run.sh profiles). Servers turn it off before gRPC starts; the sanitizer builds
// (tests/sanitizers.sh) are where lock-order problems are looked for.
void DisableMutexDeadlockDetection();

}  // namespace gatehouse
