#pragma once

namespace gatehouse {

// Call first thing in main, before any thread exists: blocks SIGINT and SIGTERM in every
// thread so that only WaitForShutdownSignal receives them (no async-signal-safety puzzles).
void BlockShutdownSignals();

// Waits until SIGINT or SIGTERM arrives; returns the signal number.
int WaitForShutdownSignal();

}  // namespace gatehouse
