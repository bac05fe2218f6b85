#pragma once

#include <string>
#include <string_view>

namespace gatehouse::cli {

// Applicants choose their names and claims, so any text shown to a reviewer may carry escape
// sequences that would rewrite the screen or the terminal's title. Returns `text` with every
// C0 control (tabs and newlines included), DEL, C1 control, zero-width and bidirectional
// control (U+200B-U+200F, U+202A-U+202E, U+2066-U+2069) replaced by a space, so each field
// prints as inert text on one line and reads as what it is.
std::string TerminalSafe(std::string_view text);

}  // namespace gatehouse::cli
