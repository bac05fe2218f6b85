#include "render/table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace gatehouse::cli {
namespace {

TEST(TableTest, AlignsColumnsOnATerminal) {
  std::ostringstream out;
  PrintTable(out, {"ID", "EMAIL"}, {{"abc", "a@x.com"}, {"d", "long@example.com"}}, true);
  EXPECT_EQ(out.str(),
            "ID   EMAIL\n"
            "abc  a@x.com\n"
            "d    long@example.com\n");
}

TEST(TableTest, TabSeparatesWhenPipedAndKeepsRowsOnOneLine) {
  std::ostringstream out;
  PrintTable(out, {"ID", "NAME"}, {{"abc", "Evil\tName\nInjected"}}, false);
  EXPECT_EQ(out.str(), "ID\tNAME\nabc\tEvil Name Injected\n");
}

TEST(TableTest, CountsUtf8CharactersNotBytes) {
  std::ostringstream out;
  PrintTable(out, {"N", "X"}, {{"Jürgen", "1"}, {"Bob", "2"}}, true);
  EXPECT_EQ(out.str(), "N       X\nJürgen  1\nBob     2\n");
}

}  // namespace
}  // namespace gatehouse::cli
