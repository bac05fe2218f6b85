#pragma once

#include <string>
#include <string_view>

namespace gatehouse::cli {

enum class Colour { kNone, kRed, kGreen, kYellow, kDim, kBold };

// Whether to colour standard output. `mode` is --color: "always", "never" or "auto", which
// colours only a terminal, and never when NO_COLOR is set to anything (no-color.org) or TERM
// is "dumb". `no_color` and `term` are those variables' values, null when unset.
bool ColourEnabled(std::string_view mode, bool terminal, const char* no_color, const char* term);

// `text` in `colour` (ANSI SGR) when `enabled`, else unchanged.
std::string Paint(std::string_view text, Colour colour, bool enabled);

// The colour of a state name ("pending" yellow, "approved" green, "denied" red, "expired"
// and "revoked" dim), also used for the event that led there.
Colour StateColour(std::string_view state);

}  // namespace gatehouse::cli
