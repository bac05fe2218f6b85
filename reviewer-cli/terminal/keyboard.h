#pragma once

#include <optional>
#include <string>

namespace gatehouse::cli {

// The input of an interactive command: single key presses and typed lines. An interface so
// that the review walk does not depend on how the terminal is driven.
class Keyboard {
 public:
  virtual ~Keyboard() = default;
  // The next key pressed; nullopt when the user ends the session (Ctrl-C, Ctrl-D) or the
  // input ends.
  virtual std::optional<char> ReadKey() = 0;
  // A line typed with echo and editing; nullopt if cancelled (Ctrl-C, Ctrl-D) or input ends.
  virtual std::optional<std::string> ReadLine() = 0;
};

}  // namespace gatehouse::cli
