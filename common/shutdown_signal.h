#pragma once

namespace gatehouse {

// Call first thing in main, before any thread exists: blocks SIGINT and SIGTERM in every
// thread so that only WaitForShutdownSignal receives them (no async-signal-safety puzzles).
void BlockShutdownSignals();

// A peer that hangs up mid-write must cost one failed write, not the process: TLS writes go
// through write(2), which raises SIGPIPE. Call first thing in main.
void IgnoreBrokenPipes();

// Waits until SIGINT or SIGTERM arrives; returns the signal number.
int WaitForShutdownSignal();

}  // namespace gatehouse
