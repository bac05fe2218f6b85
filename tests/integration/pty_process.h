#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "process.h"

namespace gatehouse::testing {

// A real child process on a pseudo-terminal, as a reviewer runs it at a keyboard: its stdin,
// stdout and stderr are the terminal, so it sees isatty() and can switch to raw mode.
class PtyProcess {
 public:
  PtyProcess(const std::vector<std::string>& argv, const Env& env);
  ~PtyProcess();  // kills (SIGKILL) and reaps the child if it still runs
  PtyProcess(const PtyProcess&) = delete;
  PtyProcess& operator=(const PtyProcess&) = delete;

  // Types `keys` at the terminal.
  void Type(const std::string& keys);
  // Reads the screen until `text` appears after the point the previous successful wait
  // reached; false on timeout or if the child exits first without printing it.
  bool WaitFor(const std::string& text, std::chrono::milliseconds timeout);
  // Waits for the exit and returns its code (-1 on timeout or death by signal).
  int Wait(std::chrono::milliseconds timeout);
  // Everything the child printed so far.
  const std::string& Screen() const { return screen_; }

 private:
  // Appends what is ready on the terminal to screen_, waiting up to `wait`; false at its end.
  bool Drain(std::chrono::milliseconds wait);

  pid_t pid_ = -1;
  int master_ = -1;
  std::string screen_;
  size_t consumed_ = 0;
};

}  // namespace gatehouse::testing
