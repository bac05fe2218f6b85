#include "dialect/json_limits.h"

#include <vector>

#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {

absl::Status CheckJsonLimits(std::string_view body) {
  struct Open {
    bool array;
    int elements;  // for arrays: elements started so far
    bool empty;    // nothing seen since the bracket
  };
  std::vector<Open> open;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !open.empty() && open.back().empty && c != ']' && c != '}') {
      open.back().empty = false;
      if (open.back().array) open.back().elements = 1;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        open.push_back({c == '[', 0, true});
        if (static_cast<int>(open.size()) > kMaxJsonDepth) {
          return absl::InvalidArgumentError(
              absl::StrCat("JSON nests deeper than ", kMaxJsonDepth, " levels"));
        }
        break;
      case ']':
      case '}':
        if (!open.empty()) open.pop_back();
        break;
      case ',':
        if (!open.empty() && open.back().array && ++open.back().elements > kMaxArrayLength) {
          return absl::InvalidArgumentError(
              absl::StrCat("a JSON array has more than ", kMaxArrayLength, " elements"));
        }
        break;
      default:
        break;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<nlohmann::json> ParseJsonObject(std::string_view body_text) {
  if (absl::Status limits = CheckJsonLimits(body_text); !limits.ok()) return limits;
  nlohmann::json body = nlohmann::json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return absl::InvalidArgumentError("body is not valid JSON");
  if (!body.is_object()) return absl::InvalidArgumentError("body must be a JSON object");
  return body;
}

}  // namespace gatehouse::gateway
