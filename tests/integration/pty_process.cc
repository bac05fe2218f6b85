#include "pty_process.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace gatehouse::testing {

PtyProcess::PtyProcess(const std::vector<std::string>& argv_in, const Env& env_in) {
  std::vector<std::string> argv = argv_in;
  std::vector<std::string> env = ChildEnvironment(env_in);
  std::vector<char*> argv_p, env_p;
  for (auto& arg : argv) argv_p.push_back(arg.data());
  argv_p.push_back(nullptr);
  for (auto& entry : env) env_p.push_back(entry.data());
  env_p.push_back(nullptr);
  winsize size{.ws_row = 50, .ws_col = 160, .ws_xpixel = 0, .ws_ypixel = 0};
  pid_ = forkpty(&master_, nullptr, nullptr, &size);
  if (pid_ < 0) throw std::runtime_error("forkpty failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execve(argv_p[0], argv_p.data(), env_p.data());
    _exit(127);
  }
}

PtyProcess::~PtyProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (master_ >= 0) close(master_);
}

void PtyProcess::Type(const std::string& keys) {
  size_t written = 0;
  while (written < keys.size()) {
    const ssize_t n = write(master_, keys.data() + written, keys.size() - written);
    if (n <= 0) return;
    written += static_cast<size_t>(n);
  }
}

bool PtyProcess::Drain(std::chrono::milliseconds wait) {
  pollfd ready{.fd = master_, .events = POLLIN, .revents = 0};
  if (poll(&ready, 1, static_cast<int>(wait.count())) <= 0) return true;
  char buffer[4096];
  const ssize_t n = read(master_, buffer, sizeof(buffer));
  if (n <= 0) return false;  // EIO: the child closed the terminal
  screen_.append(buffer, static_cast<size_t>(n));
  return true;
}

bool PtyProcess::WaitFor(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const size_t at = screen_.find(text, consumed_);
    if (at != std::string::npos) {
      consumed_ = at + text.size();
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (!Drain(std::chrono::milliseconds(20))) {  // the terminal closed: nothing more comes
      const size_t last = screen_.find(text, consumed_);
      if (last != std::string::npos) consumed_ = last + text.size();
      return last != std::string::npos;
    }
  }
}

int PtyProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
    Drain(std::chrono::milliseconds(10));  // a child blocked on a full terminal never exits
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      for (size_t before = 0; before != screen_.size();) {  // what it printed last
        before = screen_.size();
        if (!Drain(std::chrono::milliseconds(0))) break;
      }
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
  }
  return -1;
}

}  // namespace gatehouse::testing
