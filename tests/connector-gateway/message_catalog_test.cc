// Localized block messages: language fallback and operator overrides.
#include "messages/message_catalog.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace gatehouse::gateway {
namespace {

using Reason = Decision::Reason;

TEST(MessageCatalogTest, FallsBackFromRegionToLanguageToEnglish) {
  const MessageCatalog catalog;
  EXPECT_EQ(catalog.For(Reason::kPending, "de-AT").text.rfind("Ihre Zugriffsanfrage", 0), 0u);
  EXPECT_EQ(catalog.For(Reason::kPending, "DE").text.rfind("Ihre Zugriffsanfrage", 0), 0u);
  EXPECT_EQ(catalog.For(Reason::kRequested, "fr-CA").text.rfind("Votre compte", 0), 0u);
  EXPECT_EQ(catalog.For(Reason::kDenied, "es-MX").text.rfind("Su solicitud de registro", 0), 0u);
  EXPECT_EQ(catalog.For(Reason::kUnavailable, "ja-JP").text.rfind("現在", 0), 0u);
  EXPECT_EQ(catalog.For(Reason::kPending, "pt-BR").text,
            "Your access request is already processing. You'll be notified when your request "
            "has been approved.");
  EXPECT_EQ(catalog.For(Reason::kPending, "").code, "GATEHOUSE-APPROVAL-PENDING");
  EXPECT_EQ(catalog.For(Reason::kAutoDenied, "de").code, "GATEHOUSE-APPROVAL-AUTO-DENIED");
}

TEST(MessageCatalogTest, EveryBuiltInLanguageHasEveryText) {
  const MessageCatalog catalog;
  for (const char* locale : {"en", "de", "fr", "es", "ja"}) {
    for (Reason reason : {Reason::kPending, Reason::kRequested, Reason::kDenied,
                          Reason::kAutoDenied, Reason::kMissingIdentity, Reason::kUnavailable}) {
      EXPECT_FALSE(catalog.For(reason, locale).text.empty()) << locale;
    }
  }
}

class MessageFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }
  ~MessageFileTest() override { std::remove(path_.c_str()); }
  std::string path_ = ::testing::TempDir() + "gateway-messages.toml";
};

TEST_F(MessageFileTest, OperatorsReplaceTextsPerCodeAndLocale) {
  auto catalog = MessageCatalog::Load(Write(R"(
listen = "127.0.0.1:8080"
[messages.de]
GATEHOUSE-APPROVAL-PENDING = "Ihr Antrag liegt beim Team Zugang."
[messages.nl]
GATEHOUSE-APPROVAL-PENDING = "Uw aanvraag wordt behandeld."
)"));
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->For(Reason::kPending, "de-CH").text, "Ihr Antrag liegt beim Team Zugang.");
  EXPECT_EQ(catalog->For(Reason::kPending, "nl").text, "Uw aanvraag wordt behandeld.");
  // Codes not overridden keep their built-in text, or English for a new language.
  EXPECT_EQ(catalog->For(Reason::kDenied, "de").text.rfind("Ihre Registrierungsanfrage", 0), 0u);
  EXPECT_EQ(catalog->For(Reason::kDenied, "nl").text.rfind("Your sign up request", 0), 0u);
}

TEST_F(MessageFileTest, UnknownCodesAndBadValuesAreRefusedByName) {
  for (const auto& [text, message] : std::vector<std::pair<std::string, std::string>>{
           {"[messages.de]\nGATEHOUSE-PENDING = \"x\"\n", "messages.de.GATEHOUSE-PENDING is not"},
           {"[messages.de]\nGATEHOUSE-UNAVAILABLE = 3\n", "must be a non-empty string"},
           {"[messages.de]\nGATEHOUSE-UNAVAILABLE = \"\"\n", "must be a non-empty string"},
           {"messages = 1\n", "[messages.<locale>] tables"}}) {
    auto catalog = MessageCatalog::Load(Write(text));
    ASSERT_FALSE(catalog.ok()) << text;
    EXPECT_NE(catalog.status().message().find(message), absl::string_view::npos)
        << catalog.status();
  }
}

}  // namespace
}  // namespace gatehouse::gateway
