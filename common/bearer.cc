#include "common/bearer.h"

#include "absl/strings/match.h"

namespace gatehouse {
namespace {

constexpr std::string_view kScheme = "Bearer ";

}  // namespace

std::string BearerHeader(std::string_view token) {
  std::string header(kScheme);
  header += token;
  return header;
}

std::optional<std::string_view> BearerToken(std::string_view header) {
  if (header.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(absl::string_view(header.data(), kScheme.size()),
                              absl::string_view(kScheme.data(), kScheme.size()))) {
    return std::nullopt;
  }
  return header.substr(kScheme.size());
}

}  // namespace gatehouse
