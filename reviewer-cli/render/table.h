#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace gatehouse::cli {

struct TableStyle {
  // On a terminal columns are padded to line up; otherwise fields are tab-separated with no
  // padding, for cut/awk.
  bool aligned = false;
  // This column holds state names, coloured by state when `colour` is on.
  std::optional<size_t> state_column;
  bool colour = false;
};

// Display width, counting UTF-8 continuation bytes as nothing (good enough for names).
size_t DisplayWidth(const std::string& text);

// Prints rows under a header. Every field is made terminal-safe, so a row is always one line
// and an applicant's name cannot carry escape sequences.
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, const TableStyle& style);

}  // namespace gatehouse::cli
