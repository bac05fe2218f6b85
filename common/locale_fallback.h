#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse {

// The locales to try, best first, for an applicant's ui_locales tag: "de-AT" gives de-at, de,
// en. Block pages (gateway) and applicant mails (core) choose their language the same way.
std::vector<std::string> LocaleFallback(std::string_view locale);

}  // namespace gatehouse
