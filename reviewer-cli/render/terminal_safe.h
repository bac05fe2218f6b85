#pragma once

#include <string>
#include <string_view>

namespace gatehouse::cli {

// Applicants choose their names and claims, so any text shown to a reviewer may carry escape
// sequences that would rewrite the screen or the terminal's title. Returns `text` with every
// C0 control (tabs and newlines included), DEL and C1 control replaced by a space, so each
// field prints as inert text on one line.
std::string TerminalSafe(std::string_view text);

}  // namespace gatehouse::cli
