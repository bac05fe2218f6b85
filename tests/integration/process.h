#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gatehouse::testing {

using Env = std::map<std::string, std::string>;

// A real child process, as a user would start it. Its environment is the test's, minus every
// GATEHOUSE_* variable, plus `env` (secrets go there, never into argv).
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const Env& env, std::string log_path);
  ~ChildProcess();  // kills (SIGKILL) and reaps the child if it still runs
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Polls the child's combined stdout/stderr until `pattern` matches; returns its first
  // capture group. nullopt on timeout or if the child exits first.
  std::optional<std::string> WaitForLog(const std::string& pattern,
                                        std::chrono::milliseconds timeout);
  // Sends `signal` and waits (bounded) for the exit; returns the exit code, or -1 on timeout
  // or death by signal.
  int Stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Sends `signal` without waiting (SIGSTOP freezes the child, SIGCONT thaws it).
  void Signal(int signal) const;
  std::string Log() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The environment of a child: the test's, minus every GATEHOUSE_* variable, plus `extra`.
std::vector<std::string> ChildEnvironment(const Env& extra);

// Runs a command to completion (killed after `timeout`), capturing stdout and stderr.
RunResult RunCommand(const std::vector<std::string>& argv, const Env& env,
                     std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace gatehouse::testing
