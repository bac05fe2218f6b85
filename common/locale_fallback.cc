#include "common/locale_fallback.h"

#include "absl/strings/ascii.h"

namespace gatehouse {

std::vector<std::string> LocaleFallback(std::string_view locale) {
  const std::string tag = absl::AsciiStrToLower(std::string(locale));
  const std::string language = tag.substr(0, tag.find_first_of("-_"));
  return {tag, language, "en"};
}

}  // namespace gatehouse
