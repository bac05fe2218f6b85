// Notification pieces that need no receiver: signing, the retry schedule, the config, what a
// target hears and the chat payloads. Delivery itself is tested end to end
// (tests/integration/notify_test.cc).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "notify/notify_config.h"
#include "notify/notify_event.h"
#include "notify/retry_schedule.h"
#include "notify/webhook_signature.h"

namespace gatehouse::core {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

TEST(WebhookSignatureTest, MatchesAnIndependentHmac) {
  // Computed with Python's hmac module: key bytes 0..31, "msg_1.1700000000.{body}".
  auto key = ParseWebhookSecret("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(SignWebhook({*key}, "msg_1", 1700000000, R"({"type":"request.created"})"),
            "v1,3scf9Ufg6k6rzyDXOwezZIWDfNy7qLRUNLN1j0CUCcw=");
  // Two keys during a rotation: two signatures, space-separated.
  const std::string both = SignWebhook({*key, std::string(24, 'k')}, "msg_1", 1, "{}");
  EXPECT_EQ(std::count(both.begin(), both.end(), ' '), 1) << both;
}

TEST(WebhookSignatureTest, RefusesMalformedSecrets) {
  EXPECT_FALSE(ParseWebhookSecret("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").ok());
  EXPECT_FALSE(ParseWebhookSecret("whsec_not base64!").ok());
  EXPECT_FALSE(ParseWebhookSecret("whsec_AAECAw==").ok());  // 4 bytes: too short
}

TEST(RetryScheduleTest, FollowsStandardWebhooksWithJitter) {
  std::mt19937_64 random(7);
  const std::vector<milliseconds> expected = {
      std::chrono::seconds(5), std::chrono::minutes(5), std::chrono::minutes(30),
      std::chrono::hours(2),   std::chrono::hours(5),   std::chrono::hours(10),
      std::chrono::hours(14),  std::chrono::hours(20),  std::chrono::hours(24)};
  for (int failures = 1; failures <= 9; ++failures) {
    const auto delay = RetryDelay(failures, std::nullopt, random);
    ASSERT_TRUE(delay) << failures;
    const milliseconds wanted = expected[static_cast<size_t>(failures - 1)];
    EXPECT_GE(delay->count(), wanted.count() * 9 / 10) << failures;
    EXPECT_LE(delay->count(), wanted.count() * 11 / 10) << failures;
  }
  EXPECT_FALSE(RetryDelay(10, std::nullopt, random));  // ten attempts in all
  EXPECT_EQ(MaxDeliveryAttempts(), 10);
  EXPECT_EQ(RetryDelay(3, std::chrono::seconds(7), random), milliseconds(7000));
  EXPECT_EQ(RetryDelay(1, std::chrono::hours(100), random), std::chrono::hours(24));
}

class NotifyConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/gatehouse-notify-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::ofstream(dir_ + "/secret") << "# rotated on 2026-12-01\n"
                                    << "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n"
                                    << "whsec_"
                                    << "a2tra2tra2tra2tra2tra2tra2tra2tr"
                                    << "\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  absl::StatusOr<std::vector<NotifyTarget>> Load(const std::string& toml) {
    std::ofstream(dir_ + "/core.toml") << toml;
    return LoadNotifyTargets(dir_ + "/core.toml");
  }

  std::string dir_;
};

TEST_F(NotifyConfigTest, ReadsEveryKind) {
  std::ofstream(dir_ + "/slack-url") << "https://hooks.slack.com/services/T/B/X\n";
  auto targets = Load(R"(
[[rule]]
name = "x"
action = "review"

[[notify]]
name = "sink"
kind = "webhook"
url = "http://127.0.0.1:9/hook"
allow_insecure_http = true
secret_file = ")" + dir_ +
                      R"(/secret"
events = ["request.created", "request.approved"]
email_domains = ["fabrikam.com"]
include_personal_data = false

[[notify]]
name = "reviewers"
kind = "slack"
url_file = ")" + dir_ +
                      R"(/slack-url"

[[notify]]
name = "teams"
kind = "teams"
url = "https://example.org/workflows/1"
issuers = ["google.com"]
)");
  ASSERT_TRUE(targets.ok()) << targets.status();
  ASSERT_EQ(targets->size(), 3u);
  const NotifyTarget& sink = (*targets)[0];
  EXPECT_EQ(sink.kind, NotifyKind::kWebhook);
  EXPECT_EQ(sink.signing_keys.size(), 2u);
  EXPECT_EQ(sink.events.size(), 2u);
  EXPECT_FALSE(sink.include_personal_data);
  EXPECT_EQ((*targets)[1].url, "https://hooks.slack.com/services/T/B/X");
  EXPECT_EQ((*targets)[2].issuers, std::vector<std::string>{"google.com"});
}

TEST_F(NotifyConfigTest, NamesWhatIsWrong) {
  const std::string secret = "secret_file = \"" + dir_ + "/secret\"\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"name = \"a\"\nkind = \"webhook\"\nurl = \"https://x.org\"\n" + secret + "colour = 1\n",
       "'colour' is not a key"},
      {"name = \"a\"\nkind = \"pager\"\nurl = \"https://x.org\"\n", "'pager' is not a kind"},
      {"name = \"a\"\nkind = \"webhook\"\nurl = \"http://example.org\"\n" + secret,
       "must be https://"},
      {"name = \"a\"\nkind = \"webhook\"\nurl = \"http://example.org\"\nallow_insecure_http = "
       "true\n" +
           secret,
       "loopback address only"},
      {"name = \"a\"\nkind = \"webhook\"\nurl = \"https://x.org\"\n", "needs a secret_file"},
      {"name = \"a\"\nkind = \"webhook\"\nurl = \"https://x.org\"\nsecret_file = "
       "\"/nonexistent\"\n",
       "cannot read /nonexistent"},
      {"name = \"a\"\nkind = \"slack\"\nurl = \"https://x.org\"\nevents = [\"request.made\"]\n",
       "'request.made', not one of"},
      {"kind = \"slack\"\nurl = \"https://x.org\"\n", "needs a name"},
      {"name = \"a\"\nkind = \"email\"\n", "needs an smtp_url"},
      {"name = \"a\"\nkind = \"email\"\nsmtp_url = \"smtp://127.0.0.1\"\nfrom = \"a@b.c\"\nto = "
       "\"applicant\"\n",
       "needs a sign_in_url"},
      {"name = \"a\"\nkind = \"email\"\nsmtp_url = \"http://x\"\n", "must be smtp://"},
  };
  for (const auto& [table, expected] : cases) {
    auto targets = Load("[[notify]]\n" + table);
    ASSERT_FALSE(targets.ok()) << table;
    EXPECT_NE(targets.status().message().find(expected), std::string::npos)
        << targets.status().message() << "\nwanted: " << expected;
  }
  auto twice = Load(
      "[[notify]]\nname = \"a\"\nkind = \"slack\"\nurl = \"https://x.org\"\n"
      "[[notify]]\nname = \"a\"\nkind = \"teams\"\nurl = \"https://y.org\"\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("taken by another target"), std::string::npos);
}

Change PendingChange() {
  Change change;
  change.event = {.revision = 42,
                  .request_id = "K7Q2M9",
                  .type = EventType::kCreated,
                  .actor = "applicant",
                  .time = absl::FromUnixSeconds(1800000000)};
  change.request.id = "K7Q2M9";
  change.request.attempts = 2;
  change.request.pending_since = absl::FromUnixSeconds(1800000000);
  change.request.applicant = {.email = "ann@fabrikam.com",
                              .identities = {{.issuer = "google.com", .issuer_assigned_id = "1"}},
                              .display_name = "<!channel> Ann & co"};
  return change;
}

TEST(NotifyEventTest, TargetsHearWhatTheyAskFor) {
  Change change = PendingChange();
  EXPECT_TRUE(TargetWants(NotifyTarget{}, change));
  EXPECT_FALSE(TargetWants(NotifyTarget{.events = {"request.approved"}}, change));
  EXPECT_TRUE(TargetWants(NotifyTarget{.email_domains = {"Fabrikam.com"}}, change));
  EXPECT_FALSE(TargetWants(NotifyTarget{.email_domains = {"contoso.com"}}, change));
  EXPECT_TRUE(TargetWants(NotifyTarget{.issuers = {"google.com"}}, change));
  EXPECT_FALSE(TargetWants(NotifyTarget{.issuers = {"facebook.com"}}, change));
  change.event.type = EventType::kSeenAgain;
  EXPECT_FALSE(TargetWants(NotifyTarget{}, change));
  change.event.type = EventType::kAutoApproved;
  EXPECT_EQ(NotifyEventType(change.event.type), "request.approved");
}

TEST(NotifyEventTest, WebhookBodyFollowsTheContract) {
  const json body = json::parse(WebhookBody(PendingChange(), true));
  EXPECT_EQ(body["type"], "request.created");
  EXPECT_EQ(body["timestamp"], "2027-01-15T08:00:00.000Z");
  EXPECT_EQ(body["data"]["id"], "K7Q2M9");
  EXPECT_EQ(body["data"]["revision"], 42);
  EXPECT_EQ(body["data"]["state"], "pending");
  EXPECT_EQ(body["data"]["email"], "ann@fabrikam.com");
  EXPECT_EQ(body["data"]["identity_provider"], "google.com");
  const json without = json::parse(WebhookBody(PendingChange(), false));
  EXPECT_FALSE(without["data"].contains("email"));
  EXPECT_FALSE(without["data"].contains("display_name"));
  EXPECT_EQ(WebhookMessageId(PendingChange()), "evt_42_K7Q2M9");
}

TEST(NotifyEventTest, ChatMessagesSayWhoWaitsAndWhatToRun) {
  const ChatView view = ChatViewOf(PendingChange(), absl::Hours(24 * 30), true);
  const json slack = json::parse(SlackMessage(view));
  const std::string text = slack.dump();
  EXPECT_NE(text.find("reviewer approve K7Q2M9"), std::string::npos) << text;
  EXPECT_NE(text.find("2027-02-14 08:00 UTC"), std::string::npos) << text;  // expires
  // An applicant's name cannot ping a channel or inject a link.
  EXPECT_EQ(text.find("<!channel>"), std::string::npos) << text;
  EXPECT_NE(text.find("&lt;!channel&gt; Ann &amp; co"), std::string::npos) << text;

  const json teams = json::parse(TeamsMessage(view));
  const json& card = teams["attachments"][0]["content"];
  EXPECT_EQ(teams["attachments"][0]["contentType"], "application/vnd.microsoft.card.adaptive");
  EXPECT_EQ(card["type"], "AdaptiveCard");
  EXPECT_EQ(card["version"], "1.4");
  EXPECT_NE(card.dump().find("reviewer approve K7Q2M9"), std::string::npos);

  Change approved = PendingChange();
  approved.event.type = EventType::kApproved;
  approved.event.actor = "alice";
  approved.event.reason = "known supplier";
  EXPECT_EQ(ChatViewOf(approved, absl::Hours(1), true).title,
            "Request K7Q2M9 approved by alice: known supplier");
}

}  // namespace
}  // namespace gatehouse::core
