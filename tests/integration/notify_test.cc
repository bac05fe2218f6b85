// Notifications end to end: approval-core with [[notify]] webhook targets, and receivers of the
// test's own on loopback that check every signature with OpenSSL's HMAC (not our signer).
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

// The two keys of the secret file, as raw bytes; the file holds both (a rotation).
const std::string kKeyA(32, 'A');
const std::string kKeyB(24, 'B');

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Hmac(const std::string& key, const std::string& content) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &length);
  return "v1," + Base64(std::string(reinterpret_cast<char*>(mac), length));
}

struct Received {
  std::string id;
  std::string body;
  json message;
};

// An HTTP receiver on a fixed loopback port; it can go down and come back on the same port.
class Receiver {
 public:
  Receiver() { Start(); }
  ~Receiver() { Stop(); }

  void Start() {
    server_ = std::make_unique<httplib::Server>();
    server_->Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      const std::string id = request.get_header_value("webhook-id");
      const std::string timestamp = request.get_header_value("webhook-timestamp");
      const std::string content = id + "." + timestamp + "." + request.body;
      const std::string signatures = request.get_header_value("webhook-signature");
      std::lock_guard lock(mutex_);
      // Both keys sign; each signature must be the HMAC of its own key.
      if (signatures != Hmac(kKeyA, content) + " " + Hmac(kKeyB, content) ||
          std::llabs(std::stoll(timestamp) - time(nullptr)) > 60) {
        ++bad_signatures_;
        response.status = 401;
        return;
      }
      const json message = json::parse(request.body);
      const int status = answer_(message);
      response.status = status;
      if (status == 200) received_.push_back({id, request.body, message});
    });
    // The first start takes any free port; a restart takes the same one again.
    if (port_ == 0) {
      port_ = server_->bind_to_any_port("127.0.0.1");
      ASSERT_GT(port_, 0);
    } else {
      ASSERT_TRUE(server_->bind_to_port("127.0.0.1", port_));
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
  }

  void Stop() {
    if (!server_) return;
    server_->stop();
    thread_.join();
    server_.reset();
  }

  // What to answer a message (200: taken).
  void AnswerWith(std::function<int(const json&)> answer) {
    std::lock_guard lock(mutex_);
    answer_ = std::move(answer);
  }

  std::vector<Received> Messages() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  int BadSignatures() {
    std::lock_guard lock(mutex_);
    return bad_signatures_;
  }

  // Waits until `count` messages were taken; false after `timeout`.
  bool WaitFor(size_t count, std::chrono::milliseconds timeout = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Messages().size() >= count) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

 private:
  int port_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::mutex mutex_;
  std::function<int(const json&)> answer_ = [](const json&) { return 200; };
  std::vector<Received> received_;
  int bad_signatures_ = 0;
};

std::string Applicant(int i) {
  return R"({"email":"applicant)" + std::to_string(i) + R"(@contoso.com","displayName":"A )" +
         std::to_string(i) + "\"}";
}

class NotifyTest : public StackTest {
 protected:
  std::vector<std::string> ExtraCoreArgs() override {
    const std::string secret = dir_ + "/webhook.secret";
    std::ofstream(secret) << "whsec_" << Base64(kKeyA) << "\nwhsec_" << Base64(kKeyB) << "\n";
    const std::string config = dir_ + "/core.toml";
    std::ofstream(config) << "[[notify]]\nname = \"all\"\nkind = \"webhook\"\nurl = \""
                          << all_.Url() << "\"\nsecret_file = \"" << secret
                          << "\"\nallow_insecure_http = true\n\n"
                          << "[[notify]]\nname = \"decisions\"\nkind = \"webhook\"\nurl = \""
                          << decisions_.Url() << "\"\nsecret_file = \"" << secret
                          << "\"\nallow_insecure_http = true\nevents = [\"request.approved\", "
                             "\"request.denied\"]\ninclude_personal_data = false\n";
    return {"--config", config, "--metrics-listen", "127.0.0.1:0"};
  }

  void Apply(int i) {
    ExpectBlock(Hook("request-approval", Applicant(i)), "GATEHOUSE-APPROVAL-REQUESTED", "");
  }

  // `notify status` once it shows `wanted` (positions are saved a moment after delivery).
  RunResult StatusShowing(const std::string& wanted) {
    RunResult status;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
      status = Notify({"status", "--db", db_});
      if (status.out.find(wanted) != std::string::npos) break;
      std::this_thread::sleep_for(200ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return status;
  }

  RunResult Notify(std::vector<std::string> args) {
    std::vector<std::string> argv{kBin + "/approval-core", "notify"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, {});
  }

  // The revisions of `messages`, each distinct one once, in the order first received.
  static std::vector<int64_t> Revisions(const std::vector<Received>& messages) {
    std::vector<int64_t> revisions;
    for (const Received& m : messages) revisions.push_back(m.message["data"]["revision"]);
    return revisions;
  }

  Receiver all_;
  Receiver decisions_;
};

TEST_F(NotifyTest, EverySignedEventArrivesInOrderAndFiltered) {
  for (int i = 0; i < 3; ++i) Apply(i);
  const std::string id = PendingId("applicant1@contoso.com");
  ASSERT_EQ(Reviewer({"approve", id, "--reason", "known supplier"}, reviewer_token_).exit_code, 0);

  ASSERT_TRUE(all_.WaitFor(4)) << all_.Messages().size();
  const std::vector<Received> all = all_.Messages();
  const std::vector<int64_t> revisions = Revisions(all);
  EXPECT_TRUE(std::is_sorted(revisions.begin(), revisions.end()));
  EXPECT_EQ(all[0].message["type"], "request.created");
  EXPECT_EQ(all[0].message["data"]["email"], "applicant0@contoso.com");
  EXPECT_EQ(all[3].message["type"], "request.approved");
  EXPECT_EQ(all[3].message["data"]["actor"], "alice");
  EXPECT_EQ(all[3].message["data"]["reason"], "known supplier");
  EXPECT_EQ(all[3].message["data"]["state"], "approved");

  // The decisions target hears the approval only, without personal data.
  ASSERT_TRUE(decisions_.WaitFor(1));
  std::this_thread::sleep_for(300ms);
  const std::vector<Received> decisions = decisions_.Messages();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].message["data"]["id"], id);
  EXPECT_EQ(decisions[0].id, all[3].id);  // one event, one webhook-id
  EXPECT_FALSE(decisions[0].message["data"].contains("email"));
  EXPECT_EQ(all_.BadSignatures() + decisions_.BadSignatures(), 0);

  auto metrics_port = core_->WaitForLog(R"(metrics on http://127\.0\.0\.1:(\d+)/metrics)", 1s);
  ASSERT_TRUE(metrics_port) << core_->Log();
  httplib::Client scraper("127.0.0.1", std::stoi(*metrics_port));
  std::string metrics;
  for (int i = 0; i < 50 && metrics.find("delivered_total{target=\"all\"} 4") == std::string::npos;
       ++i) {
    auto scraped = scraper.Get("/metrics");
    ASSERT_TRUE(scraped) << "no answer from /metrics";
    metrics = scraped->body;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(metrics.find("gatehouse_notify_delivered_total{target=\"all\"} 4\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("gatehouse_notify_backlog{target=\"decisions\"} 0\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("# TYPE gatehouse_notify_failed_total counter"), std::string::npos);

  const RunResult status = StatusShowing("all\t4\t0\t-\t4\t0\tenabled");
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("all\t4\t0\t-\t4\t0\tenabled"), std::string::npos) << status.out;
}

TEST_F(NotifyTest, AReceiverDownForAWhileGetsEverythingInOrderOnceBack) {
  all_.Stop();
  for (int i = 0; i < 3; ++i) Apply(i);
  std::this_thread::sleep_for(1s);  // the first attempt failed; the next comes 5 s later
  all_.Start();
  ASSERT_TRUE(all_.WaitFor(3, 20s)) << core_->Log();
  const std::vector<int64_t> revisions = Revisions(all_.Messages());
  EXPECT_EQ(revisions.size(), 3u);
  EXPECT_TRUE(std::is_sorted(revisions.begin(), revisions.end()));
  EXPECT_NE(core_->Log().find("next in"), std::string::npos) << "no retry was logged";
}

TEST_F(NotifyTest, KillDashNineWithDeliveriesPendingLosesNone) {
  // A slow receiver keeps deliveries pending when the core is killed.
  all_.AnswerWith([](const json&) {
    std::this_thread::sleep_for(200ms);
    return 200;
  });
  constexpr int kApplicants = 12;
  for (int i = 0; i < kApplicants; ++i) Apply(i);
  ASSERT_TRUE(all_.WaitFor(2));
  core_->Stop(SIGKILL);
  ASSERT_LT(all_.Messages().size(), static_cast<size_t>(kApplicants)) << "nothing was pending";
  StartCore("127.0.0.1:0");
  // Every event arrives; one sent twice (at least once) carries the same webhook-id and body.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  std::map<int64_t, Received> by_revision;
  while (std::chrono::steady_clock::now() < deadline && by_revision.size() < kApplicants) {
    by_revision.clear();
    for (const Received& m : all_.Messages()) {
      auto [it, inserted] = by_revision.emplace(m.message["data"]["revision"], m);
      if (!inserted) {
        EXPECT_EQ(it->second.id, m.id);
        EXPECT_EQ(it->second.body, m.body);
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(by_revision.size(), static_cast<size_t>(kApplicants));
  std::set<std::string> emails;
  for (const auto& [revision, m] : by_revision) emails.insert(m.message["data"]["email"]);
  EXPECT_EQ(emails.size(), static_cast<size_t>(kApplicants));
}

TEST_F(NotifyTest, ARefusedEventDoesNotBlockTheNextAndGoneDisables) {
  // 400 for one applicant: recorded as failed, the events after it still go out.
  all_.AnswerWith(
      [](const json& m) { return m["data"]["email"] == "applicant0@contoso.com" ? 400 : 200; });
  decisions_.AnswerWith([](const json&) { return 410; });
  Apply(0);
  Apply(1);
  ASSERT_TRUE(all_.WaitFor(1));
  EXPECT_EQ(all_.Messages()[0].message["data"]["email"], "applicant1@contoso.com");
  ASSERT_EQ(
      Reviewer({"deny", PendingId("applicant1@contoso.com"), "--reason", "spam"}, reviewer_token_)
          .exit_code,
      0);
  ASSERT_TRUE(all_.WaitFor(2));

  // The 410 disabled "decisions"; status shows both outcomes.
  const RunResult status = StatusShowing("disabled since");
  EXPECT_NE(status.out.find("disabled since"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("HTTP 410 Gone"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("failed: all event 1 "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("HTTP 400"), std::string::npos) << status.out;
  EXPECT_NE(core_->Log().find("410 Gone"), std::string::npos);

  // Both receivers fixed: `notify retry` sends the failed event and turns decisions back on.
  all_.AnswerWith([](const json&) { return 200; });
  decisions_.AnswerWith([](const json&) { return 200; });
  EXPECT_EQ(Notify({"retry", "--db", db_, "all"}).exit_code, 0);
  RunResult retried = Notify({"retry", "--db", db_, "decisions"});
  EXPECT_EQ(retried.exit_code, 0) << retried.err;
  ASSERT_TRUE(all_.WaitFor(3)) << core_->Log();
  EXPECT_EQ(all_.Messages()[2].message["data"]["email"], "applicant0@contoso.com");
  ASSERT_TRUE(decisions_.WaitFor(1)) << core_->Log();
  EXPECT_EQ(decisions_.Messages()[0].message["type"], "request.denied");

  EXPECT_EQ(Notify({"retry", "--db", db_, "nosuch"}).exit_code, 1);
}

TEST_F(NotifyTest, TestCommandSendsOneSignedEvent) {
  const std::string config = ExtraCoreArgs()[1];  // the core's own config file
  const RunResult sent = Notify({"test", "--config", config, "all"});
  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(sent.out.find("HTTP 200"), std::string::npos) << sent.out;
  ASSERT_TRUE(all_.WaitFor(1));
  EXPECT_EQ(all_.Messages()[0].message["data"]["revision"], 0);
  EXPECT_EQ(Notify({"test", "--config", config, "nosuch"}).exit_code, 2);
}

// A free loopback port, for a server of another process (the SMTP receiver).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

// Every mail Debian's aiosmtpd stored in `maildir`, decoded by Python's email package.
constexpr const char* kReadMaildir = R"(
import email, email.policy, json, mailbox, sys
mails = []
for key, raw in mailbox.Maildir(sys.argv[1], factory=None).items():
    m = email.message_from_bytes(raw.as_bytes(), policy=email.policy.default)
    mails.append({"to": m["X-RcptTo"], "subject": str(m["Subject"]), "body": m.get_content(),
                  "message_id": m["Message-ID"]})
print(json.dumps(mails))
)";

class NotifyMailTest : public StackTest {
 protected:
  NotifyMailTest() : smtp_port_(FreePort()) {
    char pattern[] = "/tmp/gatehouse-mail-XXXXXX";
    maildir_ = std::string(mkdtemp(pattern)) + "/maildir";
    smtp_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
                                 "127.0.0.1:" + std::to_string(smtp_port_), "-c",
                                 "aiosmtpd.handlers.Mailbox", maildir_},
        Env{}, maildir_ + ".log");
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!Accepts(smtp_port_) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
  }
  ~NotifyMailTest() override {
    smtp_.reset();
    std::filesystem::remove_all(std::filesystem::path(maildir_).parent_path());
  }

  std::vector<std::string> ExtraCoreArgs() override {
    const std::string config = dir_ + "/core.toml";
    const std::string smtp = "smtp://127.0.0.1:" + std::to_string(smtp_port_);
    std::ofstream(config) << "[[notify]]\nname = \"reviewers\"\nkind = \"email\"\nsmtp_url = \""
                          << smtp << "\"\nfrom = \"gatehouse@fabrikam.com\"\n"
                          << "to = [\"access-team@fabrikam.com\", \"lead@fabrikam.com\"]\n"
                          << "digest_minutes = 0.05\n\n"
                          << "[[notify]]\nname = \"applicants\"\nkind = \"email\"\nsmtp_url = \""
                          << smtp << "\"\nfrom = \"gatehouse@fabrikam.com\"\nto = \"applicant\"\n"
                          << "sign_in_url = \"https://fabrikam.b2clogin.com/signin\"\n"
                          << "[notify.messages.fr]\napproved_subject = \"Bienvenue, {name}\"\n";
    return {"--config", config};
  }

  json Mails() {
    const RunResult read = RunCommand({"/usr/bin/python3", "-c", kReadMaildir, maildir_}, {});
    EXPECT_EQ(read.exit_code, 0) << read.err;
    return read.exit_code == 0 ? json::parse(read.out) : json::array();
  }

  // The mails once `done` holds for them; the last seen after `timeout` otherwise.
  json MailsOnce(const std::function<bool(const json&)>& done, std::chrono::seconds timeout = 20s) {
    json mails;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
      mails = Mails();
      if (done(mails)) break;
      std::this_thread::sleep_for(250ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return mails;
  }

  const int smtp_port_;
  std::string maildir_;
  std::unique_ptr<ChildProcess> smtp_;
};

TEST_F(NotifyMailTest, ReviewersGetADigestAndTheApplicantTheirOwnLanguage) {
  ASSERT_TRUE(Accepts(smtp_port_)) << "aiosmtpd did not start: " << smtp_->Log();
  const std::string joerg =
      R"({"email":"joerg@contoso.at","displayName":"Jörg","ui_locales":"de-AT"})";
  const std::string amelie =
      R"({"email":"amelie@contoso.fr","displayName":"Amélie","ui_locales":"fr"})";
  for (const std::string& body : {joerg, amelie, std::string(kMary)}) {
    ExpectBlock(Hook("request-approval", body), "GATEHOUSE-APPROVAL-REQUESTED", "");
  }
  ASSERT_EQ(
      Reviewer({"approve", PendingId("joerg@contoso.at"), "--reason", "partner"}, reviewer_token_)
          .exit_code,
      0);
  ASSERT_EQ(
      Reviewer({"approve", PendingId("amelie@contoso.fr"), "--reason", "partner"}, reviewer_token_)
          .exit_code,
      0);

  // Three digests at most (the first at once, the rest gathered), all three applicants in them.
  const auto reviewers_have_all = [](const json& mails) {
    std::string digests;
    for (const json& m : mails) {
      if (m["to"] == "access-team@fabrikam.com, lead@fabrikam.com") digests += m.dump();
    }
    return digests.find("joerg@contoso.at") != std::string::npos &&
           digests.find("amelie@contoso.fr") != std::string::npos &&
           digests.find("mary@contoso.com") != std::string::npos;
  };
  const json mails = MailsOnce([&](const json& m) {
    int applicants = 0;
    for (const json& mail : m)
      applicants += mail["to"] != "access-team@fabrikam.com, lead@fabrikam.com";
    return reviewers_have_all(m) && applicants >= 2;
  });
  ASSERT_TRUE(reviewers_have_all(mails)) << mails.dump(2) << core_->Log();
  int digests = 0;
  bool gathered = false;  // one digest named more than one applicant
  json german, french;
  for (const json& mail : mails) {
    const std::string to = mail["to"];
    if (to == "access-team@fabrikam.com, lead@fabrikam.com") {
      ++digests;
      const std::string body = mail["body"];
      EXPECT_NE(body.find("reviewer approve "), std::string::npos) << body;
      EXPECT_NE(body.find("reviewer review"), std::string::npos) << body;
      gathered |= body.find("reviewer approve ") != body.rfind("reviewer approve ");
    } else if (to == "joerg@contoso.at") {
      german = mail;
    } else if (to == "amelie@contoso.fr") {
      french = mail;
    } else {
      ADD_FAILURE() << "a mail to " << to;
    }
  }
  EXPECT_LE(digests, 2) << mails.dump(2);
  EXPECT_TRUE(gathered || digests == 1) << mails.dump(2);
  ASSERT_FALSE(german.is_null()) << mails.dump(2) << core_->Log();
  EXPECT_EQ(german["subject"], "Ihre Registrierung wurde freigegeben");
  const std::string german_body = german["body"];
  EXPECT_NE(german_body.find("Hallo Jörg"), std::string::npos) << german_body;
  EXPECT_NE(german_body.find("https://fabrikam.b2clogin.com/signin"), std::string::npos);
  EXPECT_EQ(german_body.find("partner"), std::string::npos) << "a reviewer's reason leaked";
  ASSERT_FALSE(french.is_null()) << mails.dump(2);
  EXPECT_EQ(french["subject"], "Bienvenue, Amélie");  // the operator's override
  // Nobody but the applicants hears of decisions; Mary still waits.
  EXPECT_EQ(mails.dump().find("\"to\": \"mary@contoso.com\""), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::testing
