#pragma once

#include <string>

namespace gatehouse::cli {

// Line editing for a terminal in raw mode, where the program echoes what is typed itself:
// backspace removes one UTF-8 character, Ctrl-U the whole line, Enter finishes, Ctrl-C or
// Ctrl-D cancels, and escape sequences (arrow keys) and other control bytes are dropped.
class LineEditor {
 public:
  enum class State { kTyping, kDone, kCancelled };

  // Takes one byte as typed; appends to `echo` what the terminal should show for it.
  State Feed(char byte, std::string& echo);
  const std::string& line() const { return line_; }

 private:
  void EraseLastCharacter(std::string& echo);

  std::string line_;
  // 0: text; 1: after ESC; 2: inside a CSI/SS3 sequence, until its final byte.
  int escape_ = 0;
};

}  // namespace gatehouse::cli
