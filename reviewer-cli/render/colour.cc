#include "render/colour.h"

namespace gatehouse::cli {

bool ColourEnabled(std::string_view mode, bool terminal, const char* no_color, const char* term) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  if (!terminal) return false;
  if (no_color != nullptr && *no_color != '\0') return false;
  return term == nullptr || std::string_view(term) != "dumb";
}

std::string Paint(std::string_view text, Colour colour, bool enabled) {
  const char* code = nullptr;
  switch (colour) {
    case Colour::kNone:
      break;
    case Colour::kRed:
      code = "31";
      break;
    case Colour::kGreen:
      code = "32";
      break;
    case Colour::kYellow:
      code = "33";
      break;
    case Colour::kDim:
      code = "2";
      break;
    case Colour::kBold:
      code = "1";
      break;
  }
  if (!enabled || code == nullptr) return std::string(text);
  std::string painted = "\x1b[";
  painted += code;
  painted += 'm';
  painted += text;
  painted += "\x1b[0m";
  return painted;
}

Colour StateColour(std::string_view state) {
  if (state == "pending") return Colour::kYellow;
  if (state == "approved") return Colour::kGreen;
  if (state == "denied") return Colour::kRed;
  if (state == "expired" || state == "revoked") return Colour::kDim;
  return Colour::kNone;
}

}  // namespace gatehouse::cli
