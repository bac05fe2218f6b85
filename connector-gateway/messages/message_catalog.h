#pragma once

#include <string>
#include <string_view>

#include "model/decision.h"

namespace gatehouse::gateway {

struct UserMessage {
  std::string code;  // for troubleshooting; Azure does not show it (connector-contract.md §1.3)
  std::string text;  // shown to the applicant
};

// The text and code shown for each block reason.
class MessageCatalog {
 public:
  // `locale` is the applicant's ui_locales value; only the built-in English texts (Microsoft's
  // approval pattern, connector-contract.md §3) exist so far, so it does not change the text.
  UserMessage For(Decision::Reason reason, std::string_view locale) const;
};

}  // namespace gatehouse::gateway
