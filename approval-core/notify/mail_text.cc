#include "notify/mail_text.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/locale_fallback.h"

namespace gatehouse::core {
namespace {

struct BuiltIn {
  absl::string_view locale;
  absl::string_view approved_subject, approved_body, denied_subject, denied_body;
};

constexpr std::array<BuiltIn, 5> kBuiltIns = {{
    {"en", "Your sign-up was approved",
     "Hello {name},\n\nyour request to sign up was approved. You can sign in now:\n\n"
     "{sign_in_url}\n",
     "Your sign-up was not approved",
     "Hello {name},\n\nyour request to sign up was not approved.\n"},
    {"de", "Ihre Registrierung wurde freigegeben",
     "Hallo {name},\n\nIhre Registrierung wurde freigegeben. Sie können sich jetzt anmelden:\n\n"
     "{sign_in_url}\n",
     "Ihre Registrierung wurde nicht freigegeben",
     "Hallo {name},\n\nIhre Registrierung wurde leider nicht freigegeben.\n"},
    {"fr", "Votre inscription a été approuvée",
     "Bonjour {name},\n\nvotre demande d'inscription a été approuvée. Vous pouvez maintenant "
     "vous connecter :\n\n{sign_in_url}\n",
     "Votre inscription n'a pas été approuvée",
     "Bonjour {name},\n\nvotre demande d'inscription n'a malheureusement pas été approuvée.\n"},
    {"es", "Su registro ha sido aprobado",
     "Hola {name}:\n\nsu solicitud de registro ha sido aprobada. Ya puede iniciar sesión:\n\n"
     "{sign_in_url}\n",
     "Su registro no ha sido aprobado",
     "Hola {name}:\n\nlamentablemente, su solicitud de registro no ha sido aprobada.\n"},
    {"ja", "登録が承認されました",
     "{name} 様\n\n登録のお申し込みが承認されました。こちらからサインインできます:\n\n"
     "{sign_in_url}\n",
     "登録は承認されませんでした",
     "{name} 様\n\n申し訳ございませんが、登録のお申し込みは承認されませんでした。\n"},
}};

absl::string_view BuiltInText(const BuiltIn& texts, absl::string_view key) {
  if (key == "approved_subject") return texts.approved_subject;
  if (key == "approved_body") return texts.approved_body;
  if (key == "denied_subject") return texts.denied_subject;
  return texts.denied_body;
}

// `key` in the best locale that has it: an override before the built-in text of one locale.
std::string Lookup(const std::string& key, const std::string& locale,
                   const MailOverrides& overrides) {
  for (const std::string& candidate : LocaleFallback(locale)) {
    if (auto texts = overrides.find(candidate); texts != overrides.end()) {
      if (auto text = texts->second.find(key); text != texts->second.end()) return text->second;
    }
    for (const BuiltIn& texts : kBuiltIns) {
      if (texts.locale == candidate) return std::string(BuiltInText(texts, key));
    }
  }
  return "";  // unreachable: English has every key
}

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", time, absl::UTCTimeZone());
}

}  // namespace

bool IsMailTextKey(absl::string_view key) {
  return key == "approved_subject" || key == "approved_body" || key == "denied_subject" ||
         key == "denied_body";
}

MailText ApplicantMail(const Change& change, const std::string& sign_in_url,
                       const MailOverrides& overrides) {
  const Applicant& applicant = change.request.applicant;
  const std::string kind =
      change.event.state_after == RequestState::kApproved ? "approved" : "denied";
  const std::string name =
      applicant.display_name.empty() ? applicant.email : applicant.display_name;
  const auto fill = [&](const std::string& text) {
    return absl::StrReplaceAll(text, {{"{name}", name},
                                      {"{email}", applicant.email},
                                      {"{sign_in_url}", sign_in_url},
                                      {"{reason}", change.event.reason}});
  };
  return {fill(Lookup(kind + "_subject", applicant.locale, overrides)),
          fill(Lookup(kind + "_body", applicant.locale, overrides))};
}

MailText ReviewerDigest(const std::vector<Change>& changes, absl::Duration pending_ttl) {
  MailText mail{.subject = absl::StrCat("Gatehouse: ", changes.size(),
                                        changes.size() == 1 ? " sign-up waits" : " sign-ups wait",
                                        " for approval")};
  for (const Change& change : changes) {
    const ApprovalRequest& request = change.request;
    const Applicant& applicant = request.applicant;
    absl::StrAppend(&mail.body, applicant.email.empty() ? "(no email)" : applicant.email,
                    applicant.display_name.empty() ? "" : " (", applicant.display_name,
                    applicant.display_name.empty() ? "" : ")", "\n");
    absl::StrAppend(&mail.body, "  request ", request.id, ", attempts ", request.attempts);
    if (!applicant.identities.empty()) {
      absl::StrAppend(&mail.body, ", via ", applicant.identities.front().issuer);
    }
    if (request.pending_since) {
      absl::StrAppend(&mail.body, ", expires ", Rfc3339(*request.pending_since + pending_ttl));
    }
    absl::StrAppend(&mail.body, "\n  reviewer approve ", request.id, "\n\n");
  }
  absl::StrAppend(&mail.body, "Or go through them one by one: reviewer review\n");
  return mail;
}

}  // namespace gatehouse::core
