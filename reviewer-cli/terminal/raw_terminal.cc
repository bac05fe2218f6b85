#include "terminal/raw_terminal.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "terminal/line_editor.h"

namespace gatehouse::cli {
namespace {

constexpr char kCtrlC = 0x03;
constexpr char kCtrlD = 0x04;
constexpr char kEscape = 0x1B;

}  // namespace

absl::StatusOr<std::unique_ptr<RawTerminal>> RawTerminal::Open(int fd, std::ostream& echo) {
  termios saved{};
  if (isatty(fd) != 1 || tcgetattr(fd, &saved) != 0) {
    return absl::FailedPreconditionError("standard input is not a terminal");
  }
  termios raw = saved;
  // Keys arrive one by one and unechoed; Ctrl-C arrives as a byte instead of killing us with
  // the terminal left raw. Output processing stays on, so "\n" still returns the carriage.
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
  raw.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  if (tcsetattr(fd, TCSAFLUSH, &raw) != 0) {
    return absl::FailedPreconditionError("cannot switch the terminal to raw mode");
  }
  return std::unique_ptr<RawTerminal>(new RawTerminal(fd, saved, echo));
}

RawTerminal::RawTerminal(int fd, const termios& saved, std::ostream& echo)
    : fd_(fd), saved_(saved), echo_(echo) {}

RawTerminal::~RawTerminal() { tcsetattr(fd_, TCSAFLUSH, &saved_); }

std::optional<char> RawTerminal::ReadByte() {
  char byte = 0;
  while (true) {
    const ssize_t n = read(fd_, &byte, 1);
    if (n == 1) return byte;
    if (n < 0 && errno == EINTR) continue;
    return std::nullopt;  // end of input or a closed terminal
  }
}

void RawTerminal::DrainPendingInput() {
  pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
  char discard[64];
  while (poll(&ready, 1, 30) == 1 && (ready.revents & POLLIN) != 0) {
    if (read(fd_, discard, sizeof(discard)) <= 0) return;
  }
}

std::optional<char> RawTerminal::ReadKey() {
  const std::optional<char> byte = ReadByte();
  if (!byte || *byte == kCtrlC || *byte == kCtrlD) return std::nullopt;
  if (*byte == kEscape) DrainPendingInput();
  return byte;
}

std::optional<std::string> RawTerminal::ReadLine() {
  LineEditor editor;
  while (true) {
    const std::optional<char> byte = ReadByte();
    if (!byte) return std::nullopt;
    std::string echo;
    const LineEditor::State state = editor.Feed(*byte, echo);
    echo_ << echo << std::flush;
    if (state == LineEditor::State::kDone) return editor.line();
    if (state == LineEditor::State::kCancelled) return std::nullopt;
  }
}

}  // namespace gatehouse::cli
