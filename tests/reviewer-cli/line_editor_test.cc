// Line editing of `reviewer review`'s deny reason, byte by byte as a raw terminal sends it.
#include "terminal/line_editor.h"

#include <gtest/gtest.h>

namespace gatehouse::cli {
namespace {

struct Typed {
  LineEditor::State state;
  std::string line;
  std::string echo;
};

Typed Type(const std::string& bytes) {
  LineEditor editor;
  std::string echo;
  LineEditor::State state = LineEditor::State::kTyping;
  for (char byte : bytes) {
    state = editor.Feed(byte, echo);
    if (state != LineEditor::State::kTyping) break;
  }
  return {state, editor.line(), echo};
}

TEST(LineEditorTest, EnterFinishesTheLineAndEchoesWhatWasTyped) {
  const Typed typed = Type("not known\r");
  EXPECT_EQ(typed.state, LineEditor::State::kDone);
  EXPECT_EQ(typed.line, "not known");
  EXPECT_EQ(typed.echo, "not known\n");
}

TEST(LineEditorTest, BackspaceRemovesOneUtf8CharacterAndCtrlUTheLine) {
  EXPECT_EQ(Type("Jü\x7f"
                 "ohn\n")
                .line,
            "John");  // ü is two bytes, one backspace
  EXPECT_EQ(Type("x\x7f").echo, "x\b \b");
  EXPECT_EQ(Type("\x7f"
                 "a\n")
                .line,
            "a");  // backspace on an empty line does nothing
  EXPECT_EQ(Type("wrong\x15right\r").line, "right");
}

TEST(LineEditorTest, CtrlCAndCtrlDCancel) {
  EXPECT_EQ(Type("half\x03").state, LineEditor::State::kCancelled);
  EXPECT_EQ(Type("\x04").state, LineEditor::State::kCancelled);
}

TEST(LineEditorTest, ArrowKeysAndControlBytesAreDropped) {
  EXPECT_EQ(Type("a\x1b[Db\x1bOAc\x07\t\r").line, "abc");
}

}  // namespace
}  // namespace gatehouse::cli
