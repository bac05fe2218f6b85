#include "messages/message_catalog.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/locale_fallback.h"
#include "common/toml_file.h"

namespace gatehouse::gateway {
namespace {

constexpr std::string_view kPending = "GATEHOUSE-APPROVAL-PENDING";
constexpr std::string_view kRequested = "GATEHOUSE-APPROVAL-REQUESTED";
constexpr std::string_view kDenied = "GATEHOUSE-APPROVAL-DENIED";
constexpr std::string_view kAutoDenied = "GATEHOUSE-APPROVAL-AUTO-DENIED";
constexpr std::string_view kMissingIdentity = "GATEHOUSE-MISSING-IDENTITY";
constexpr std::string_view kUnavailable = "GATEHOUSE-UNAVAILABLE";
// Appended to a code, names the title of its block page.
constexpr std::string_view kTitleSuffix = "-TITLE";
constexpr std::array<std::string_view, 6> kCodes = {kPending,    kRequested,       kDenied,
                                                    kAutoDenied, kMissingIdentity, kUnavailable};

struct BuiltIn {
  std::string_view locale;
  std::string_view pending, requested, denied, missing_identity, unavailable;
  // Titles: waiting (pending or requested), denied, missing identity, unavailable.
  std::string_view waiting_title, denied_title, missing_identity_title, unavailable_title;
};

// English is Microsoft's wording from the approval pattern; an auto-denial reads like any
// denial (the applicant need not know a rule decided).
constexpr std::array<BuiltIn, 5> kBuiltIns = {{
    {"en",
     "Your access request is already processing. You'll be notified when your request has "
     "been approved.",
     "Your account is now waiting for approval. You'll be notified when your request has been "
     "approved.",
     "Your sign up request has been denied. Please contact an administrator if you believe "
     "this is an error",
     "We could not tell who you are. Please sign up with an email address.",
     "We can't process your sign-up right now. Please try again in a few minutes.", "Hold tight...",
     "Sign-up denied", "Sign-up not possible", "Please try again later"},
    {"de",
     "Ihre Zugriffsanfrage wird bereits bearbeitet. Sie werden benachrichtigt, sobald Ihre "
     "Anfrage genehmigt wurde.",
     "Ihr Konto wartet jetzt auf Genehmigung. Sie werden benachrichtigt, sobald Ihre Anfrage "
     "genehmigt wurde.",
     "Ihre Registrierungsanfrage wurde abgelehnt. Wenden Sie sich bitte an einen "
     "Administrator, wenn Sie dies für einen Fehler halten.",
     "Wir konnten Sie nicht zuordnen. Bitte registrieren Sie sich mit einer E-Mail-Adresse.",
     "Wir können Ihre Registrierung gerade nicht bearbeiten. Bitte versuchen Sie es in ein "
     "paar Minuten erneut.",
     "Einen Moment noch …", "Registrierung abgelehnt", "Registrierung nicht möglich",
     "Bitte später erneut versuchen"},
    {"fr",
     "Votre demande d'accès est déjà en cours de traitement. Vous serez averti dès qu'elle "
     "aura été approuvée.",
     "Votre compte est en attente d'approbation. Vous serez averti dès que votre demande aura "
     "été approuvée.",
     "Votre demande d'inscription a été refusée. Veuillez contacter un administrateur si vous "
     "pensez qu'il s'agit d'une erreur.",
     "Nous n'avons pas pu vous identifier. Veuillez vous inscrire avec une adresse e-mail.",
     "Nous ne pouvons pas traiter votre inscription pour le moment. Veuillez réessayer dans "
     "quelques minutes.",
     "Merci de patienter…", "Inscription refusée", "Inscription impossible",
     "Veuillez réessayer plus tard"},
    {"es",
     "Su solicitud de acceso ya se está procesando. Se le notificará cuando su solicitud haya "
     "sido aprobada.",
     "Su cuenta está pendiente de aprobación. Se le notificará cuando su solicitud haya sido "
     "aprobada.",
     "Su solicitud de registro ha sido denegada. Póngase en contacto con un administrador si "
     "cree que se trata de un error.",
     "No hemos podido identificarle. Regístrese con una dirección de correo electrónico.",
     "No podemos procesar su registro en este momento. Vuelva a intentarlo en unos minutos.",
     "Un momento, por favor…", "Registro denegado", "Registro no posible",
     "Vuelva a intentarlo más tarde"},
    {"ja", "アクセス申請はすでに処理中です。申請が承認されると通知が届きます。",
     "アカウントは現在承認待ちです。申請が承認されると通知が届きます。",
     "登録申請は却下されました。誤りと思われる場合は管理者にお問い合わせください。",
     "お客様を識別できませんでした。メールアドレスで登録してください。",
     "現在、登録を処理できません。数分後にもう一度お試しください。", "しばらくお待ちください",
     "登録が拒否されました", "登録できません", "後でもう一度お試しください"},
}};

// A code, or a code's title key.
bool IsKnownKey(std::string_view key) {
  if (key.ends_with(kTitleSuffix)) key.remove_suffix(kTitleSuffix.size());
  for (std::string_view known : kCodes) {
    if (known == key) return true;
  }
  return false;
}

std::string TitleKey(std::string_view code) {
  return std::string(code) + std::string(kTitleSuffix);
}

}  // namespace

std::string_view CodeFor(Decision::Reason reason) {
  using Reason = Decision::Reason;
  switch (reason) {
    case Reason::kPending:
      return kPending;
    case Reason::kRequested:
      return kRequested;
    case Reason::kDenied:
      return kDenied;
    case Reason::kAutoDenied:
      return kAutoDenied;
    case Reason::kMissingIdentity:
      return kMissingIdentity;
    case Reason::kNone:
    case Reason::kUnavailable:
      break;
  }
  return kUnavailable;
}

MessageCatalog::MessageCatalog() {
  for (const BuiltIn& b : kBuiltIns) {
    auto& texts = texts_[std::string(b.locale)];
    texts[std::string(kPending)] = b.pending;
    texts[std::string(kRequested)] = b.requested;
    texts[std::string(kDenied)] = b.denied;
    texts[std::string(kAutoDenied)] = b.denied;
    texts[std::string(kMissingIdentity)] = b.missing_identity;
    texts[std::string(kUnavailable)] = b.unavailable;
    texts[TitleKey(kPending)] = b.waiting_title;
    texts[TitleKey(kRequested)] = b.waiting_title;
    texts[TitleKey(kDenied)] = b.denied_title;
    texts[TitleKey(kAutoDenied)] = b.denied_title;
    texts[TitleKey(kMissingIdentity)] = b.missing_identity_title;
    texts[TitleKey(kUnavailable)] = b.unavailable_title;
  }
}

absl::StatusOr<MessageCatalog> MessageCatalog::Load(const std::string& config_path) {
  MessageCatalog catalog;
  if (config_path.empty()) return catalog;
  auto file = ReadTomlFile(config_path);
  if (!file.ok()) return file.status();
  const toml::node* messages = file->get("messages");
  if (messages == nullptr) return catalog;
  const toml::table* locales = messages->as_table();
  if (locales == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config file ", config_path, ": 'messages' must hold [messages.<locale>] tables"));
  }
  for (const auto& [locale_key, locale_node] : *locales) {
    const std::string locale = absl::AsciiStrToLower(std::string(locale_key.str()));
    const toml::table* codes = locale_node.as_table();
    if (codes == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("config file ", config_path, ": messages.",
                                                     locale, " must be a table of codes"));
    }
    for (const auto& [code_key, text_node] : *codes) {
      const std::string code(code_key.str());
      const std::string where =
          absl::StrCat("config file ", config_path, ": messages.", locale, ".", code);
      if (!IsKnownKey(code)) {
        return absl::InvalidArgumentError(where + " is not a Gatehouse code (or CODE-TITLE)");
      }
      const auto* text = text_node.as_string();
      if (text == nullptr || text->get().empty()) {
        return absl::InvalidArgumentError(where + " must be a non-empty string");
      }
      catalog.texts_[locale][code] = text->get();
    }
  }
  return catalog;
}

std::string MessageCatalog::Lookup(const std::string& key, std::string_view locale) const {
  for (const std::string& candidate : LocaleFallback(locale)) {
    auto texts = texts_.find(candidate);
    if (texts == texts_.end()) continue;
    auto text = texts->second.find(key);
    if (text != texts->second.end()) return text->second;
  }
  return "";  // unreachable: English has every key
}

UserMessage MessageCatalog::For(Decision::Reason reason, std::string_view locale) const {
  const std::string code(CodeFor(reason));
  return {code, Lookup(code, locale), Lookup(TitleKey(code), locale)};
}

}  // namespace gatehouse::gateway
