// Notifications end to end: approval-core with [[notify]] webhook targets, and receivers of the
// test's own on loopback that check every signature with OpenSSL's HMAC (not our signer).
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

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
    return {"--config", config};
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
  const std::string config = ExtraCoreArgs()[1];
  const RunResult sent = Notify({"test", "--config", config, "all"});
  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(sent.out.find("HTTP 200"), std::string::npos) << sent.out;
  ASSERT_TRUE(all_.WaitFor(1));
  EXPECT_EQ(all_.Messages()[0].message["data"]["revision"], 0);
  EXPECT_EQ(Notify({"test", "--config", config, "nosuch"}).exit_code, 2);
}

}  // namespace
}  // namespace gatehouse::testing
