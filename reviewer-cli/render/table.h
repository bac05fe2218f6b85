#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace gatehouse::cli {

// Prints rows under a header. On a terminal (`aligned`) columns are padded to line up;
// otherwise fields are tab-separated with no padding, for cut/awk. Tabs and newlines inside a
// field are replaced by spaces so a row is always one line.
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, bool aligned);

}  // namespace gatehouse::cli
