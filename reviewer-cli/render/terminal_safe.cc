#include "render/terminal_safe.h"

namespace gatehouse::cli {

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
    } else {
      safe += text[i];
    }
  }
  return safe;
}

}  // namespace gatehouse::cli
