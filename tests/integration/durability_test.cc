// Durability and idempotency against the real binaries: platform retries arriving together,
// and approval-core killed with SIGKILL in the middle of a burst of new applicants.
#include <atomic>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>

#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

using DurabilityTest = StackTest;

std::string Applicant(int sender, int n) {
  return json{
      {"email", "burst-" + std::to_string(sender) + "-" + std::to_string(n) + "@example.com"}}
      .dump();
}

TEST_F(DurabilityTest, FiftyConcurrentRetriesCreateOneRequest) {
  constexpr int kCalls = 50;
  std::atomic<int> requested{0}, pending{0}, other{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCalls; ++i) {
    callers.emplace_back([&] {
      const std::string code = Hook("request-approval", kJohn).body.value("code", "");
      if (code == "GATEHOUSE-APPROVAL-REQUESTED") {
        ++requested;
      } else if (code == "GATEHOUSE-APPROVAL-PENDING") {
        ++pending;
      } else {
        ++other;
      }
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(requested.load(), 1);
  EXPECT_EQ(pending.load(), kCalls - 1);
  EXPECT_EQ(other.load(), 0);
  const json all = AllRequests();
  ASSERT_EQ(all.size(), 1u) << all.dump();
  EXPECT_EQ(all[0]["attempts"], kCalls);
}

TEST_F(DurabilityTest, TwoReviewersDecidingAtOnceExactlyOneWins) {
  constexpr int kRounds = 5;
  for (int round = 0; round < kRounds; ++round) {
    const std::string email = "race-" + std::to_string(round) + "@example.com";
    Hook("request-approval", json{{"email", email}}.dump());
    const std::string id = PendingId(email);
    RunResult approve, deny;
    std::thread a([&] { approve = Reviewer({"approve", id}, reviewer_token_); });
    std::thread d([&] { deny = Reviewer({"deny", id, "--reason", "race"}, reviewer_token_); });
    a.join();
    d.join();
    EXPECT_EQ((approve.exit_code == 0) + (deny.exit_code == 0), 1)
        << approve.err << " / " << deny.err;
    const RunResult& loser = approve.exit_code == 0 ? deny : approve;
    EXPECT_EQ(loser.exit_code, 1);
    EXPECT_NE(loser.err.find("is already"), std::string::npos) << loser.err;
  }
}

TEST_F(DurabilityTest, KillDashNineDuringABurstLosesNoAnsweredRequest) {
  constexpr int kSenders = 8;
  constexpr int kPerSender = 60;
  constexpr int kKillAfter = 100;  // answers before the kill
  std::atomic<int> sent{0}, answered{0}, unavailable{0};
  std::mutex mutex;
  std::vector<std::string> recorded;  // emails whose answer said "recorded"
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s) {
    senders.emplace_back([&, s] {
      for (int n = 0; n < kPerSender; ++n) {
        const std::string body = Applicant(s, n);
        ++sent;
        const std::string code = Hook("request-approval", body).body.value("code", "");
        if (code == "GATEHOUSE-APPROVAL-REQUESTED") {
          std::lock_guard lock(mutex);
          recorded.push_back(json::parse(body)["email"]);
          ++answered;
        } else if (code == "GATEHOUSE-UNAVAILABLE") {
          ++unavailable;
        } else {
          ADD_FAILURE() << "unexpected answer " << code;
        }
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (answered.load() < kKillAfter && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_GE(answered.load(), kKillAfter) << "the burst never got going";
  core_->Stop(SIGKILL);
  for (auto& sender : senders) sender.join();

  StartCore(CoreAddress());
  const json all = AllRequests();
  std::multiset<std::string> stored;
  for (const json& request : all) stored.insert(request["email"].get<std::string>());
  int missing = 0;
  for (const std::string& email : recorded) {
    if (stored.count(email) != 1) {
      ++missing;
      ADD_FAILURE() << email << " was answered as recorded but is stored " << stored.count(email)
                    << " times";
    }
  }
  EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()).size(), stored.size())
      << "a request was stored twice";
  std::cout << "burst: sent " << sent << ", answered recorded " << recorded.size()
            << ", answered unavailable " << unavailable << ", stored after restart "
            << stored.size() << ", answered but lost " << missing << "\n";
  EXPECT_GE(stored.size(), recorded.size());
  EXPECT_LE(stored.size(), static_cast<size_t>(sent.load()));
  EXPECT_EQ(missing, 0);
}

TEST_F(DurabilityTest, OnlineBackupIsConsistentAndChecksClean) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string backup = dir_ + "/backup.db";
  RunResult made = RunCommand({kBin + "/approval-core", "backup", "--db", db_, "--to", backup}, {});
  ASSERT_EQ(made.exit_code, 0) << made.err;  // while the core is running and holding the file
  // Personal data and token hashes: readable by the owner only.
  EXPECT_EQ(std::filesystem::status(backup).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  RunResult again =
      RunCommand({kBin + "/approval-core", "backup", "--db", db_, "--to", backup}, {});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already exists"), std::string::npos);

  RunResult check = RunCommand({kBin + "/approval-core", "check", "--db", backup}, {});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("ok: schema version"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("2 requests"), std::string::npos) << check.out;
  EXPECT_EQ(RunCommand({kBin + "/approval-core", "check", "--db", db_}, {}).exit_code, 0);

  // The copy is a working database: a core started on it knows both applicants.
  core_->Stop(SIGTERM);
  db_ = backup;
  StartCore(CoreAddress());
  const HookReply reply = HookOnceCoreIsBack("check-approval", kMary);
  ExpectBlock(reply, "GATEHOUSE-APPROVAL-PENDING", "already processing");
}

TEST_F(DurabilityTest, CheckReportsADamagedFile) {
  const std::string damaged = dir_ + "/damaged.db";
  std::ofstream(damaged) << "this is not a database";
  RunResult check = RunCommand({kBin + "/approval-core", "check", "--db", damaged}, {});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.out.find("problem: file is not a database"), std::string::npos) << check.out;
}

}  // namespace
}  // namespace gatehouse::testing
