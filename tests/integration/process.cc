#include "process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace gatehouse::testing {
namespace {

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// fork + exec with stdout and stderr sent to the given files.
pid_t Spawn(const std::vector<std::string>& argv_in, const Env& env_in, const std::string& out,
            const std::string& err) {
  std::vector<std::string> argv = argv_in;
  std::vector<std::string> env = ChildEnvironment(env_in);
  std::vector<char*> argv_p = Pointers(argv);
  std::vector<char*> env_p = Pointers(env);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // If the test process dies (a crash, a killed ctest), its servers die with it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int err_fd = out == err ? out_fd : open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execve(argv_p[0], argv_p.data(), env_p.data());
    _exit(127);
  }
  return pid;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// Waits for `pid` up to `timeout`; returns the exit code, or -1 (timeout or signal).
int WaitBounded(pid_t pid, std::chrono::milliseconds timeout, bool* exited) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  *exited = false;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      *exited = true;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace

std::vector<std::string> ChildEnvironment(const Env& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (!name.starts_with("GATEHOUSE_") && !extra.contains(name)) env.push_back(entry);
  }
  for (const auto& [key, value] : extra) env.push_back(key + "=" + value);
  return env;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const Env& env,
                           std::string log_path)
    : log_path_(std::move(log_path)) {
  pid_ = Spawn(argv, env, log_path_, log_path_);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::optional<std::string> ChildProcess::WaitForLog(const std::string& pattern,
                                                    std::chrono::milliseconds timeout) {
  const std::regex re(pattern);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const std::string log = ReadFile(log_path_);
    if (std::regex_search(log, match, re)) return match.size() > 1 ? match[1].str() : "";
    if (pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

int ChildProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  bool exited = false;
  const int code = WaitBounded(pid_, timeout, &exited);
  if (exited) pid_ = -1;
  return code;
}

void ChildProcess::Signal(int signal) const {
  if (pid_ > 0) kill(pid_, signal);
}

std::string ChildProcess::Log() const { return ReadFile(log_path_); }

RunResult RunCommand(const std::vector<std::string>& argv, const Env& env,
                     std::chrono::milliseconds timeout) {
  char dir_pattern[] = "/tmp/gatehouse-run-XXXXXX";
  const std::string dir = mkdtemp(dir_pattern);
  const std::string out = dir + "/out", err = dir + "/err";
  const pid_t pid = Spawn(argv, env, out, err);
  bool exited = false;
  RunResult result;
  result.exit_code = WaitBounded(pid, timeout, &exited);
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  std::remove(out.c_str());
  std::remove(err.c_str());
  rmdir(dir.c_str());
  return result;
}

}  // namespace gatehouse::testing
