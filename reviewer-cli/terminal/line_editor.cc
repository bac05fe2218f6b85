#include "terminal/line_editor.h"

namespace gatehouse::cli {
namespace {

constexpr char kCtrlC = 0x03;
constexpr char kCtrlD = 0x04;
constexpr char kBackspace = 0x08;
constexpr char kCtrlU = 0x15;
constexpr char kEscape = 0x1B;
constexpr char kDelete = 0x7F;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

LineEditor::State LineEditor::Feed(char byte, std::string& echo) {
  if (escape_ == 1) {
    escape_ = (byte == '[' || byte == 'O') ? 2 : 0;
    return State::kTyping;
  }
  if (escape_ == 2) {
    if (byte >= 0x40 && byte <= 0x7E) escape_ = 0;  // the final byte of the sequence
    return State::kTyping;
  }
  switch (byte) {
    case '\r':
    case '\n':
      echo += '\n';
      return State::kDone;
    case kCtrlC:
    case kCtrlD:
      echo += '\n';
      return State::kCancelled;
    case kBackspace:
    case kDelete:
      EraseLastCharacter(echo);
      return State::kTyping;
    case kCtrlU:
      while (!line_.empty()) EraseLastCharacter(echo);
      return State::kTyping;
    case kEscape:
      escape_ = 1;
      return State::kTyping;
    default:
      break;
  }
  if (static_cast<unsigned char>(byte) < 0x20) return State::kTyping;
  line_ += byte;
  echo += byte;
  return State::kTyping;
}

void LineEditor::EraseLastCharacter(std::string& echo) {
  if (line_.empty()) return;
  while (!line_.empty() && IsContinuationByte(line_.back())) line_.pop_back();
  if (!line_.empty()) line_.pop_back();
  echo += "\b \b";
}

}  // namespace gatehouse::cli
