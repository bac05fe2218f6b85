#include "render/terminal_safe.h"

namespace gatehouse::cli {
namespace {

// Zero-width and bidirectional controls, which make text read other than it is (a name that
// shows as "alice" but sorts and compares as another, or reverses what follows it):
// U+200B..U+200F (E2 80 8B..8F), U+202A..U+202E (E2 80 AA..AE), U+2066..U+2069 (E2 81 A6..A9).
bool IsInvisibleControl(std::string_view text, size_t i) {
  if (i + 2 >= text.size() || static_cast<unsigned char>(text[i]) != 0xE2) return false;
  const auto second = static_cast<unsigned char>(text[i + 1]);
  const auto third = static_cast<unsigned char>(text[i + 2]);
  return (second == 0x80 && ((third >= 0x8B && third <= 0x8F) || (third >= 0xAA && third <= 0xAE))) ||
         (second == 0x81 && third >= 0xA6 && third <= 0xA9);
}

}  // namespace

std::string TerminalSafe(std::string_view text) {
  std::string safe;
  safe.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) {
      safe += ' ';
    } else if (byte == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      safe += ' ';  // U+0080..U+009F in UTF-8, e.g. the 8-bit CSI U+009B
      ++i;
    } else if (IsInvisibleControl(text, i)) {
      safe += ' ';
      i += 2;
    } else {
      safe += text[i];
    }
  }
  return safe;
}

}  // namespace gatehouse::cli
