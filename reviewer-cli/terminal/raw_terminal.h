#pragma once

#include <termios.h>

#include <memory>
#include <ostream>

#include "absl/status/statusor.h"
#include "terminal/keyboard.h"

namespace gatehouse::cli {

// The keyboard of the terminal on `fd`, switched to raw mode (no line buffering, no echo,
// Ctrl-C read as a key) for as long as this object lives, so that one key press acts at once
// and the terminal is always restored, whichever way the command ends.
class RawTerminal : public Keyboard {
 public:
  // FAILED_PRECONDITION when `fd` is not a terminal. `echo` shows what ReadLine types.
  static absl::StatusOr<std::unique_ptr<RawTerminal>> Open(int fd, std::ostream& echo);
  ~RawTerminal() override;
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

  std::optional<char> ReadKey() override;
  std::optional<std::string> ReadLine() override;

 private:
  RawTerminal(int fd, const termios& saved, std::ostream& echo);
  std::optional<char> ReadByte();
  // Drops the rest of an escape sequence (an arrow key sends ESC [ A) already on the wire.
  void DrainPendingInput();

  int fd_;
  termios saved_;
  std::ostream& echo_;
};

}  // namespace gatehouse::cli
