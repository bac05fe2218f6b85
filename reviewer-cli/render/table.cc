#include "render/table.h"

#include <algorithm>

#include "render/colour.h"
#include "render/terminal_safe.h"

namespace gatehouse::cli {

size_t DisplayWidth(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, const TableStyle& style) {
  std::vector<std::vector<std::string>> all;
  all.reserve(rows.size() + 1);
  all.push_back(header);
  for (const auto& row : rows) all.push_back(row);
  for (auto& row : all) {
    for (auto& field : row) field = TerminalSafe(field);
  }
  std::vector<size_t> widths(header.size(), 0);
  for (const auto& row : all) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  for (size_t r = 0; r < all.size(); ++r) {
    const auto& row = all[r];
    for (size_t i = 0; i < row.size(); ++i) {
      const bool last = i + 1 == row.size();
      // Colour wraps the text only, after widths are known, so escapes never skew alignment.
      const bool paint = r > 0 && style.colour && style.state_column == i;
      out << Paint(row[i], paint ? StateColour(row[i]) : Colour::kNone, paint);
      if (last) break;
      if (style.aligned) {
        out << std::string(widths[i] - DisplayWidth(row[i]) + 2, ' ');
      } else {
        out << '\t';
      }
    }
    out << '\n';
  }
}

}  // namespace gatehouse::cli
