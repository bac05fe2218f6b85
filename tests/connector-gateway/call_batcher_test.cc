// CallBatcher: who travels together, who hears what, and what happens at a deadline.
#include "core/call_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace gatehouse::gateway {
namespace {

using namespace std::chrono_literals;
using Clock = CallBatcher::Clock;
using Answers = std::vector<absl::StatusOr<Decision>>;

ApplicantClaims Applicant(const std::string& email) {
  ApplicantClaims claims;
  claims.email = email;
  return claims;
}

// A stand-in core: answers each applicant with its own email as the request id, after the test
// opens the gate, and records what each call carried.
class FakeCore {
 public:
  Answers Send(const std::vector<const ApplicantClaims*>& applicants, Clock::time_point deadline) {
    {
      std::unique_lock lock(mutex_);
      std::vector<std::string> emails;
      for (const ApplicantClaims* applicant : applicants) emails.push_back(applicant->email);
      calls_.push_back(emails);
      deadlines_.push_back(deadline);
      opened_.wait(lock, [&] { return open_; });
    }
    Answers answers;
    for (const ApplicantClaims* applicant : applicants) {
      answers.push_back(
          Decision{Decision::Action::kBlock, Decision::Reason::kRequested, applicant->email, {}});
    }
    return answers;
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }
  std::vector<std::vector<std::string>> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<Clock::time_point> deadlines() {
    std::lock_guard lock(mutex_);
    return deadlines_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
  std::vector<std::vector<std::string>> calls_;
  std::vector<Clock::time_point> deadlines_;
};

CallBatcher::Send SendTo(FakeCore& core) {
  return [&core](const std::vector<const ApplicantClaims*>& applicants,
                 Clock::time_point deadline) { return core.Send(applicants, deadline); };
}

// `batcher.Call(applicant, deadline)` on a thread of its own; `applicant` must outlive it.
std::future<absl::StatusOr<Decision>> CallInBackground(CallBatcher& batcher,
                                                       const ApplicantClaims& applicant,
                                                       Clock::time_point deadline) {
  return std::async(std::launch::async,
                    [&batcher, &applicant, deadline] { return batcher.Call(applicant, deadline); });
}

// One background call for each of `applicants`, in order, each with a deadline 5 s away.
std::vector<std::future<absl::StatusOr<Decision>>> CallAllInBackground(
    CallBatcher& batcher, const std::vector<ApplicantClaims>& applicants) {
  std::vector<std::future<absl::StatusOr<Decision>>> calls;
  for (const ApplicantClaims& applicant : applicants) {
    calls.push_back(CallInBackground(batcher, applicant, Clock::now() + 5s));
  }
  return calls;
}

// Polls `condition` for up to 5 s: the threads under test need a moment to start and queue.
template <typename Condition>
bool Eventually(Condition condition) {
  const auto until = Clock::now() + 5s;
  while (!condition()) {
    if (Clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(CallBatcherTest, ALoneCallerIsSentAtOnceAndAlone) {
  FakeCore core;
  core.Open();
  CallBatcher batcher(SendTo(core), 32, 2);
  const ApplicantClaims ada = Applicant("ada@example.com");
  auto answer = batcher.Call(ada, Clock::now() + 5s);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->request_id, "ada@example.com");
  EXPECT_EQ(core.calls(), (std::vector<std::vector<std::string>>{{"ada@example.com"}}));
}

TEST(CallBatcherTest, CallersThatWaitForASlotTravelTogetherAndEachHearsItsOwnAnswer) {
  FakeCore core;
  CallBatcher batcher(SendTo(core), 32, 1);
  const ApplicantClaims first = Applicant("first@example.com");
  auto leader = CallInBackground(batcher, first, Clock::now() + 5s);
  ASSERT_TRUE(Eventually([&] { return core.calls().size() == 1; }));
  // The slot is taken: these queue behind it.
  std::vector<ApplicantClaims> others;
  for (int i = 0; i < 5; ++i)
    others.push_back(Applicant("queued-" + std::to_string(i) + "@example.com"));
  auto followers = CallAllInBackground(batcher, others);
  ASSERT_TRUE(Eventually([&] { return batcher.queued() == others.size(); }));
  core.Open();
  EXPECT_EQ(leader.get()->request_id, "first@example.com");
  for (size_t i = 0; i < followers.size(); ++i) {
    auto answer = followers[i].get();
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->request_id, others[i].email);
  }
  const auto calls = core.calls();
  ASSERT_EQ(calls.size(), 2u);  // the first alone, then the five in one call
  EXPECT_EQ(calls[1].size(), 5u);
  EXPECT_EQ(batcher.queued(), 0u);
}

TEST(CallBatcherTest, NoCallCarriesMoreThanTheMaximum) {
  FakeCore core;
  CallBatcher batcher(SendTo(core), 3, 1);
  std::vector<ApplicantClaims> applicants;
  for (int i = 0; i < 8; ++i)
    applicants.push_back(Applicant("a" + std::to_string(i) + "@example.com"));
  auto answers = CallAllInBackground(batcher, applicants);
  ASSERT_TRUE(Eventually([&] { return batcher.queued() == applicants.size() - 1; }));
  core.Open();
  for (size_t i = 0; i < answers.size(); ++i)
    EXPECT_EQ(answers[i].get()->request_id, applicants[i].email);
  size_t carried = 0;
  for (const auto& call : core.calls()) {
    EXPECT_LE(call.size(), 3u);
    carried += call.size();
  }
  EXPECT_EQ(carried, applicants.size());  // each sent exactly once
}

TEST(CallBatcherTest, AFailedCallFailsEveryoneInItAndNobodyElse) {
  std::atomic<int> calls{0};
  CallBatcher batcher(
      [&](const std::vector<const ApplicantClaims*>& applicants, Clock::time_point) {
        if (calls++ == 0) return Answers(applicants.size(), absl::UnavailableError("core down"));
        return Answers(applicants.size(), Decision::Unavailable());
      },
      32, 1);
  const ApplicantClaims ada = Applicant("ada@example.com");
  EXPECT_EQ(batcher.Call(ada, Clock::now() + 5s).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(batcher.Call(ada, Clock::now() + 5s).ok());
}

TEST(CallBatcherTest, AnAnswerOfTheWrongLengthOrAThrowIsAnErrorNeverADecision) {
  CallBatcher short_answer(
      [](const std::vector<const ApplicantClaims*>&, Clock::time_point) { return Answers{}; }, 32,
      1);
  const ApplicantClaims ada = Applicant("ada@example.com");
  auto answer = short_answer.Call(ada, Clock::now() + 5s);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(answer.status().message().find("answered 0 applicants of 1"), std::string::npos);

  CallBatcher throwing([](const std::vector<const ApplicantClaims*>&,
                          Clock::time_point) -> Answers { throw std::runtime_error("boom"); },
                       32, 1);
  EXPECT_EQ(throwing.Call(ada, Clock::now() + 5s).status().code(), absl::StatusCode::kInternal);
}

TEST(CallBatcherTest, AQueuedCallerWhoseDeadlinePassesGivesUpUnsent) {
  FakeCore core;
  CallBatcher batcher(SendTo(core), 32, 1);
  const ApplicantClaims first = Applicant("first@example.com");
  const ApplicantClaims hurried = Applicant("hurried@example.com");
  auto leader = CallInBackground(batcher, first, Clock::now() + 5s);
  ASSERT_TRUE(Eventually([&] { return core.calls().size() == 1; }));
  const auto began = Clock::now();
  auto answer = batcher.Call(hurried, began + 50ms);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_GE(Clock::now() - began, 50ms);
  EXPECT_EQ(batcher.queued(), 0u);
  core.Open();
  EXPECT_TRUE(leader.get().ok());
  EXPECT_EQ(core.calls().size(), 1u);  // the hurried one was never sent
}

TEST(CallBatcherTest, TheCallTakesTheEarliestDeadlineOfThoseItCarries) {
  FakeCore core;
  CallBatcher batcher(SendTo(core), 32, 1);
  const ApplicantClaims first = Applicant("first@example.com");
  const ApplicantClaims late = Applicant("late@example.com");
  const ApplicantClaims early = Applicant("early@example.com");
  auto leader = CallInBackground(batcher, first, Clock::now() + 5s);
  ASSERT_TRUE(Eventually([&] { return core.calls().size() == 1; }));
  const auto now = Clock::now();
  auto a = CallInBackground(batcher, late, now + 9s);
  ASSERT_TRUE(Eventually([&] { return batcher.queued() == 1; }));
  auto b = CallInBackground(batcher, early, now + 4s);
  ASSERT_TRUE(Eventually([&] { return batcher.queued() == 2; }));
  core.Open();
  EXPECT_TRUE(leader.get().ok());
  EXPECT_TRUE(a.get().ok());
  EXPECT_TRUE(b.get().ok());
  ASSERT_EQ(core.deadlines().size(), 2u);
  EXPECT_EQ(core.deadlines()[1], now + 4s);
}

}  // namespace
}  // namespace gatehouse::gateway
