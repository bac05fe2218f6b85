#include <gtest/gtest.h>

#include <sstream>

#include "render/colour.h"
#include "render/table.h"
#include "render/terminal_safe.h"

namespace gatehouse::cli {
namespace {

TEST(TableTest, AlignsColumnsOnATerminal) {
  std::ostringstream out;
  PrintTable(out, {"ID", "EMAIL"}, {{"abc", "a@x.com"}, {"d", "long@example.com"}},
             {.aligned = true});
  EXPECT_EQ(out.str(),
            "ID   EMAIL\n"
            "abc  a@x.com\n"
            "d    long@example.com\n");
}

TEST(TableTest, TabSeparatesWhenPipedAndKeepsRowsOnOneLine) {
  std::ostringstream out;
  PrintTable(out, {"ID", "NAME"}, {{"abc", "Evil\tName\nInjected"}}, {.aligned = false});
  EXPECT_EQ(out.str(), "ID\tNAME\nabc\tEvil Name Injected\n");
}

TEST(TableTest, CountsUtf8CharactersNotBytes) {
  std::ostringstream out;
  PrintTable(out, {"N", "X"}, {{"Jürgen", "1"}, {"Bob", "2"}}, {.aligned = true});
  EXPECT_EQ(out.str(), "N       X\nJürgen  1\nBob     2\n");
}

TEST(TableTest, ColoursTheStateColumnWithoutSkewingAlignment) {
  std::ostringstream out;
  PrintTable(out, {"ID", "STATE", "N"}, {{"a", "pending", "1"}, {"b", "denied", "2"}},
             {.aligned = true, .state_column = 1, .colour = true});
  EXPECT_EQ(out.str(),
            "ID  STATE    N\n"
            "a   \x1b[33mpending\x1b[0m  1\n"
            "b   \x1b[31mdenied\x1b[0m   2\n");
}

TEST(ColourTest, AutoMeansATerminalWithoutNoColorOrDumbTerm) {
  EXPECT_TRUE(ColourEnabled("auto", true, nullptr, "xterm-256color"));
  EXPECT_TRUE(ColourEnabled("auto", true, "", nullptr));  // NO_COLOR set but empty: ignored
  EXPECT_FALSE(ColourEnabled("auto", true, "1", "xterm"));
  EXPECT_FALSE(ColourEnabled("auto", true, nullptr, "dumb"));
  EXPECT_FALSE(ColourEnabled("auto", false, nullptr, "xterm"));
  EXPECT_TRUE(ColourEnabled("always", false, "1", "dumb"));
  EXPECT_FALSE(ColourEnabled("never", true, nullptr, "xterm"));
  EXPECT_EQ(Paint("x", Colour::kRed, false), "x");
  EXPECT_EQ(Paint("x", Colour::kNone, true), "x");
}

TEST(TerminalSafeTest, ReplacesZeroWidthAndBidiControls) {
  // "alice" with a zero-width space, and a right-to-left override that would reverse ".exe".
  EXPECT_EQ(TerminalSafe("ali\u200Bce"), "ali ce");
  EXPECT_EQ(TerminalSafe("invoice\u202Eexe.pdf"), "invoice exe.pdf");
  for (const char* control : {"\u200B", "\u200F", "\u202A", "\u202E", "\u2066", "\u2069"}) {
    EXPECT_EQ(TerminalSafe(std::string("a") + control + "b"), "a b") << control;
  }
  // Neighbours are ordinary text.
  EXPECT_EQ(TerminalSafe("\u200A\u2010\u2070"), "\u200A\u2010\u2070");
}

TEST(TerminalSafeTest, ReplacesEveryControlCharacterAndKeepsUtf8) {
  EXPECT_EQ(TerminalSafe("a\tb\nc\rd\x1b[2Je\x7f\x07"), "a b c d [2Je  ");
  EXPECT_EQ(TerminalSafe("\xc2\x9b"
                         "31m"),
            " 31m");  // 8-bit CSI
  EXPECT_EQ(TerminalSafe("Jürgen Ł 日本"), "Jürgen Ł 日本");
}

}  // namespace
}  // namespace gatehouse::cli
