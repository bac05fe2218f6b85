#include "notify/notify_config.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/secret_env.h"
#include "common/toml_file.h"
#include "notify/http_post.h"
#include "notify/mail_message.h"
#include "notify/notify_event.h"
#include "notify/webhook_signature.h"

namespace gatehouse::core {
namespace {

// The keys every kind takes, and each kind's own.
const std::set<std::string> kCommonKeys = {"name",
                                           "kind",
                                           "events",
                                           "email_domains",
                                           "issuers",
                                           "allow_insecure_http",
                                           "include_personal_data"};
const std::set<std::string> kWebhookKeys = {"url", "secret_file"};
const std::set<std::string> kChatKeys = {"url", "url_file"};
const std::set<std::string> kEmailKeys = {"smtp_url",    "smtp_user", "smtp_password_file",
                                          "from",        "to",        "digest_minutes",
                                          "sign_in_url", "messages"};

struct Reader {
  const toml::table& table;
  std::string where;

  absl::Status Fail(const std::string& key, const std::string& what) const {
    return absl::InvalidArgumentError(absl::StrCat(where, ": '", key, "' ", what));
  }

  absl::StatusOr<std::string> Text(const std::string& key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return std::string();
    if (auto s = node->as_string()) return s->get();
    return Fail(key, "must be a string");
  }

  absl::StatusOr<bool> Flag(const std::string& key, bool fallback) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return fallback;
    if (auto b = node->as_boolean()) return b->get();
    return Fail(key, "must be true or false");
  }

  absl::StatusOr<std::vector<std::string>> List(const std::string& key) const {
    std::vector<std::string> items;
    const toml::node* node = table.get(key);
    if (node == nullptr) return items;
    const toml::array* array = node->as_array();
    if (array == nullptr) return Fail(key, "must be a list of strings");
    for (const toml::node& item : *array) {
      auto s = item.as_string();
      if (s == nullptr || s->get().empty()) return Fail(key, "must be a list of non-empty strings");
      items.push_back(s->get());
    }
    return items;
  }
};

absl::StatusOr<NotifyKind> ParseKind(const Reader& reader, const std::string& kind) {
  if (kind == "webhook") return NotifyKind::kWebhook;
  if (kind == "slack") return NotifyKind::kSlack;
  if (kind == "teams") return NotifyKind::kTeams;
  if (kind == "email") return NotifyKind::kEmail;
  if (kind.empty()) return absl::InvalidArgumentError(reader.where + " needs a kind");
  return reader.Fail("kind",
                     absl::StrCat("'", kind, "' is not a kind (webhook, slack, teams, email)"));
}

// The secret file: one whsec_ secret per line (blank lines and # comments skipped).
absl::StatusOr<std::vector<std::string>> ReadSigningKeys(const Reader& reader,
                                                         const std::string& path) {
  auto content = ReadSecretFile(path);
  if (!content.ok()) return reader.Fail("secret_file", std::string(content.status().message()));
  std::vector<std::string> keys;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*content, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    auto key = ParseWebhookSecret(line);
    if (!key.ok()) {
      // The message never quotes the line: it is a secret.
      return reader.Fail("secret_file",
                         absl::StrCat(path, " line ", line_number, ": ", key.status().message()));
    }
    keys.push_back(*std::move(key));
  }
  if (keys.empty()) return reader.Fail("secret_file", absl::StrCat(path, " holds no secret"));
  return keys;
}

// `to` is a list of reviewers' addresses or the word "applicant".
absl::Status ReadRecipients(const Reader& reader, NotifyTarget& target) {
  const toml::node* to = reader.table.get("to");
  if (to == nullptr) return absl::InvalidArgumentError(reader.where + " needs 'to'");
  if (auto word = to->as_string()) {
    if (word->get() != "applicant") {
      return reader.Fail("to", "must be a list of addresses or the word \"applicant\"");
    }
    target.to_applicant = true;
    return absl::OkStatus();
  }
  auto list = reader.List("to");
  if (!list.ok()) return list.status();
  if (list->empty()) return reader.Fail("to", "must name at least one address");
  for (const std::string& address : *list) {
    if (!IsPlainAddress(address)) {
      return reader.Fail("to", absl::StrCat("'", address, "' is not a plain address"));
    }
  }
  target.to = *std::move(list);
  return absl::OkStatus();
}

// [notify.messages.<locale>] tables: replacements of the applicant mails.
absl::Status ReadMailTexts(const Reader& reader, MailOverrides& texts) {
  const toml::node* messages = reader.table.get("messages");
  if (messages == nullptr) return absl::OkStatus();
  const toml::table* locales = messages->as_table();
  if (locales == nullptr) return reader.Fail("messages", "must hold [notify.messages.<locale>]");
  for (const auto& [locale, node] : *locales) {
    const toml::table* keys = node.as_table();
    const std::string where = absl::StrCat("messages.", std::string(locale.str()));
    if (keys == nullptr) return reader.Fail(where, "must be a table");
    for (const auto& [key, value] : *keys) {
      const std::string name(key.str());
      const auto* text = value.as_string();
      if (!IsMailTextKey(name)) {
        return reader.Fail(absl::StrCat(where, ".", name),
                           "is not a mail text (approved_subject, approved_body, denied_subject, "
                           "denied_body)");
      }
      if (text == nullptr || text->get().empty()) {
        return reader.Fail(absl::StrCat(where, ".", name), "must be a non-empty string");
      }
      texts[absl::AsciiStrToLower(std::string(locale.str()))][name] = text->get();
    }
  }
  return absl::OkStatus();
}

absl::Status ReadEmailKeys(const Reader& reader, NotifyTarget& target) {
  auto smtp_url = reader.Text("smtp_url");
  auto user = reader.Text("smtp_user");
  auto password_file = reader.Text("smtp_password_file");
  auto from = reader.Text("from");
  auto sign_in_url = reader.Text("sign_in_url");
  for (const auto* text : {&smtp_url, &user, &password_file, &from, &sign_in_url}) {
    if (!text->ok()) return text->status();
  }
  if (smtp_url->empty()) return absl::InvalidArgumentError(reader.where + " needs an smtp_url");
  if (absl::Status checked = CheckSmtpUrl(*smtp_url); !checked.ok()) {
    return reader.Fail("smtp_url", std::string(checked.message()));
  }
  target.smtp.url = *smtp_url;
  target.smtp.user = *user;
  if (!password_file->empty()) {
    if (user->empty()) return reader.Fail("smtp_password_file", "needs smtp_user");
    auto password = ReadSecretFile(*password_file);
    if (!password.ok()) {
      return reader.Fail("smtp_password_file", std::string(password.status().message()));
    }
    target.smtp.password = *std::move(password);
  }
  if (!IsPlainAddress(*from)) return reader.Fail("from", "must be a plain address");
  target.from = *from;
  if (absl::Status read = ReadRecipients(reader, target); !read.ok()) return read;
  if (const toml::node* minutes = reader.table.get("digest_minutes")) {
    const std::optional<double> value = minutes->value<double>();
    if (!value || *value <= 0 || *value > 24 * 60) {
      return reader.Fail("digest_minutes", "must be a number of minutes above 0, at most 1440");
    }
    if (target.to_applicant) return reader.Fail("digest_minutes", "is for reviewers' mail only");
    target.digest = absl::Seconds(*value * 60);
  }
  if (target.to_applicant) {
    if (sign_in_url->empty()) {
      return absl::InvalidArgumentError(reader.where +
                                        " needs a sign_in_url for the applicants' approval mail");
    }
    if (absl::Status checked = CheckNotifyUrl(*sign_in_url, false); !checked.ok()) {
      return reader.Fail("sign_in_url", std::string(checked.message()));
    }
    target.sign_in_url = *sign_in_url;
  }
  return ReadMailTexts(reader, target.mail_texts);
}

absl::StatusOr<NotifyTarget> ReadTarget(const Reader& reader) {
  NotifyTarget target;
  auto name = reader.Text("name");
  auto kind = reader.Text("kind");
  if (!name.ok()) return name.status();
  if (!kind.ok()) return kind.status();
  if (name->empty()) return absl::InvalidArgumentError(reader.where + " needs a name");
  target.name = *name;
  auto parsed_kind = ParseKind(reader, *kind);
  if (!parsed_kind.ok()) return parsed_kind.status();
  target.kind = *parsed_kind;

  const std::set<std::string>& own = target.kind == NotifyKind::kWebhook ? kWebhookKeys
                                     : target.kind == NotifyKind::kEmail ? kEmailKeys
                                                                         : kChatKeys;
  for (const auto& [key_node, value] : reader.table) {
    const std::string key(key_node.str());
    if (kCommonKeys.count(key) == 0 && own.count(key) == 0) {
      std::vector<std::string> allowed(kCommonKeys.begin(), kCommonKeys.end());
      allowed.insert(allowed.end(), own.begin(), own.end());
      return reader.Fail(key, absl::StrCat("is not a key of a ", *kind, " target (",
                                           absl::StrJoin(allowed, ", "), ")"));
    }
  }

  for (auto [key, list] :
       {std::pair{"events", &target.events}, std::pair{"email_domains", &target.email_domains},
        std::pair{"issuers", &target.issuers}}) {
    auto items = reader.List(key);
    if (!items.ok()) return items.status();
    *list = *std::move(items);
  }
  for (const std::string& event : target.events) {
    const auto& known = NotifyEventTypes();
    if (std::find(known.begin(), known.end(), event) == known.end()) {
      return reader.Fail(
          "events", absl::StrCat("lists '", event, "', not one of ", absl::StrJoin(known, ", ")));
    }
  }
  auto insecure = reader.Flag("allow_insecure_http", false);
  auto personal = reader.Flag("include_personal_data", true);
  if (!insecure.ok()) return insecure.status();
  if (!personal.ok()) return personal.status();
  target.allow_insecure_http = *insecure;
  target.include_personal_data = *personal;

  if (target.kind == NotifyKind::kEmail) {
    if (absl::Status read = ReadEmailKeys(reader, target); !read.ok()) return read;
    return target;
  }
  auto url = reader.Text("url");
  auto url_file = reader.Text("url_file");
  if (!url.ok()) return url.status();
  if (!url_file.ok()) return url_file.status();
  if (url->empty() == url_file->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(reader.where, target.kind == NotifyKind::kWebhook
                                       ? " needs a url"
                                       : " needs a url or a url_file (not both)"));
  }
  if (!url_file->empty()) {
    // A Slack or Teams webhook URL is itself the credential: kept in a file, never logged.
    auto from_file = ReadSecretFile(*url_file);
    if (!from_file.ok()) return reader.Fail("url_file", std::string(from_file.status().message()));
    url = std::string(absl::StripAsciiWhitespace(*from_file));
  }
  if (absl::Status checked = CheckNotifyUrl(*url, target.allow_insecure_http); !checked.ok()) {
    // The URL itself stays out of the message when it came from a file.
    return reader.Fail(url_file->empty() ? "url" : "url_file", url_file->empty()
                                                                   ? std::string(checked.message())
                                                                   : "must hold an https:// URL");
  }
  target.url = *url;

  if (target.kind == NotifyKind::kWebhook) {
    auto secret_file = reader.Text("secret_file");
    if (!secret_file.ok()) return secret_file.status();
    if (secret_file->empty()) {
      return absl::InvalidArgumentError(reader.where + " needs a secret_file");
    }
    auto keys = ReadSigningKeys(reader, *secret_file);
    if (!keys.ok()) return keys.status();
    target.signing_keys = *std::move(keys);
  }
  return target;
}

}  // namespace

absl::StatusOr<std::vector<NotifyTarget>> LoadNotifyTargets(const std::string& path) {
  std::vector<NotifyTarget> targets;
  if (path.empty()) return targets;
  auto file = ReadTomlFile(path);
  if (!file.ok()) return file.status();
  const toml::node* tables = file->get("notify");
  if (tables == nullptr) return targets;
  const toml::array* array = tables->as_array();
  if (array == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("config file ", path, ": targets are written as [[notify]] tables"));
  }
  std::set<std::string> names;
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string where = absl::StrCat("config file ", path, ": notify target ", i + 1,
                                           " (line ", (*array)[i].source().begin.line, ")");
    const toml::table* table = (*array)[i].as_table();
    if (table == nullptr) return absl::InvalidArgumentError(where + " must be a table");
    auto target = ReadTarget(Reader{*table, where});
    if (!target.ok()) return target.status();
    if (!names.insert(target->name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": the name '", target->name, "' is taken by another target"));
    }
    targets.push_back(*std::move(target));
  }
  return targets;
}

}  // namespace gatehouse::core
