#pragma once

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "model/decision.h"

namespace gatehouse::gateway {

struct UserMessage {
  std::string code;  // for troubleshooting; Azure does not show it (connector-contract.md §1.3)
  std::string text;  // shown to the applicant
  // The heading of a block page where the dialect has one (Entra's showBlockPage).
  std::string title;
};

// The text and code shown for each block reason, in the applicant's language. Built in:
// English (Microsoft's approval-pattern texts, connector-contract.md §3), German, French,
// Spanish and Japanese. Operators can replace any text per code and locale.
class MessageCatalog {
 public:
  // The built-in texts only.
  MessageCatalog();

  // The built-in texts with overrides from the [messages.<locale>] tables of a gateway config
  // file, keyed by code:
  //   [messages.de]
  //   GATEHOUSE-APPROVAL-PENDING = "Ihr Antrag liegt beim Team Zugang."
  //   GATEHOUSE-APPROVAL-PENDING-TITLE = "Noch einen Moment"
  // An empty path gives the built-in texts. INVALID_ARGUMENT naming the table and key for an
  // unknown code or a value that is not a non-empty string.
  static absl::StatusOr<MessageCatalog> Load(const std::string& config_path);

  // `locale` is the applicant's ui_locales tag: "de-AT" tries de-at, then de, then English.
  UserMessage For(Decision::Reason reason, std::string_view locale) const;

 private:
  // The text for `key` in the best match of `locale`: the tag, its language, then English.
  std::string Lookup(const std::string& key, std::string_view locale) const;

  // locale (lower case) -> code -> text
  std::map<std::string, std::map<std::string, std::string>> texts_;
};

// The code sent with a block for `reason`.
std::string_view CodeFor(Decision::Reason reason);

}  // namespace gatehouse::gateway
