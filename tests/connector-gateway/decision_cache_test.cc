// The hook 1 answer cache: what it keeps, and everything that makes it forget.
#include "core/decision_cache.h"

#include <gtest/gtest.h>

#include "core/caching_core_client.h"

namespace gatehouse::gateway {
namespace {

using std::chrono::milliseconds;
using Clock = DecisionCache::Clock;

Decision Continue(const std::string& id) {
  return Decision{Decision::Action::kContinue, Decision::Reason::kNone, id, {}};
}

class DecisionCacheTest : public ::testing::Test {
 protected:
  DecisionCacheTest() { cache_.SetLive(true); }

  // Asks "the core" (answers `decision`) the way CachingCoreClient does.
  void Answer(const std::string& key, const Decision& decision) {
    auto ticket = cache_.Ticket();
    ASSERT_TRUE(ticket.has_value());
    cache_.Keep(key, *ticket, decision, now_);
  }

  DecisionCache cache_{milliseconds(5000)};
  Clock::time_point now_ = Clock::now();
};

TEST_F(DecisionCacheTest, KeepsAnAnswerUntilTheMaximumAge) {
  Answer("jane", Continue("r1"));
  auto kept = cache_.Find("jane", now_ + milliseconds(4999));
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->request_id, "r1");
  EXPECT_FALSE(cache_.Find("joe", now_).has_value());
  EXPECT_FALSE(cache_.Find("jane", now_ + milliseconds(5001)).has_value());
}

TEST_F(DecisionCacheTest, AChangeNoticeForgetsEverything) {
  Answer("jane", Continue("r1"));
  cache_.Changed();
  EXPECT_FALSE(cache_.Find("jane", now_).has_value());
}

TEST_F(DecisionCacheTest, AnAnswerAskedForBeforeAChangeIsNotKept) {
  auto ticket = cache_.Ticket();
  ASSERT_TRUE(ticket.has_value());
  cache_.Changed();  // a reviewer decided while the core was answering
  cache_.Keep("jane", *ticket, Continue("r1"), now_);
  EXPECT_FALSE(cache_.Find("jane", now_).has_value());
}

TEST_F(DecisionCacheTest, NothingIsKeptOrFoundWhileNoticesAreNotArriving) {
  Answer("jane", Continue("r1"));
  auto ticket = cache_.Ticket();
  cache_.SetLive(false);  // the stream broke: the core may change things unseen
  EXPECT_FALSE(cache_.Find("jane", now_).has_value());
  EXPECT_FALSE(cache_.Ticket().has_value());
  cache_.Keep("joe", *ticket, Continue("r2"), now_);
  cache_.SetLive(true);  // back, but what was asked for before is not trusted
  EXPECT_FALSE(cache_.Find("jane", now_).has_value());
  EXPECT_FALSE(cache_.Find("joe", now_).has_value());
}

TEST_F(DecisionCacheTest, AFullCacheStartsOver) {
  for (size_t i = 0; i < DecisionCache::kMaxEntries; ++i) Answer(std::to_string(i), Continue("r"));
  EXPECT_TRUE(cache_.Find("0", now_).has_value());
  Answer("one more", Continue("r"));
  EXPECT_FALSE(cache_.Find("0", now_).has_value());
  EXPECT_TRUE(cache_.Find("one more", now_).has_value());
}

TEST_F(DecisionCacheTest, AFewHugeApplicantsCannotGrowItPastItsByteBudget) {
  const std::string padding(64 * 1024, 'x');  // the largest body the gateway accepts
  const size_t fit = DecisionCache::kMaxBytes / padding.size();
  for (size_t i = 0; i < fit - 1; ++i) Answer(std::to_string(i) + padding, Continue("r"));
  EXPECT_TRUE(cache_.Find("0" + padding, now_).has_value());
  Answer("last" + padding, Continue("r"));
  Answer("beyond" + padding, Continue("r"));
  EXPECT_FALSE(cache_.Find("0" + padding, now_).has_value());
  EXPECT_TRUE(cache_.Find("beyond" + padding, now_).has_value());
}

TEST(CacheKeyTest, DiffersWheneverWhatTheCoreIsToldDiffers) {
  ApplicantClaims base{.email = "jane@fabrikam.com",
                       .identities = {{"federated", "google.com", "g1"}},
                       .display_name = "Jane"};
  const std::string key = CacheKey(base);
  EXPECT_EQ(CacheKey(base), key);
  auto changed = [&](auto mutate) {
    ApplicantClaims other = base;
    mutate(other);
    return CacheKey(other);
  };
  EXPECT_NE(changed([](ApplicantClaims& c) { c.email = "joe@fabrikam.com"; }), key);
  EXPECT_NE(changed([](ApplicantClaims& c) { c.identities[0].issuer_assigned_id = "g2"; }), key);
  EXPECT_NE(changed([](ApplicantClaims& c) { c.identities.clear(); }), key);
  EXPECT_NE(changed([](ApplicantClaims& c) { c.other_claims_json = R"({"x":1})"; }), key);
  EXPECT_NE(changed([](ApplicantClaims& c) { c.locale = "de"; }), key);
  // No value can pose as a field boundary.
  EXPECT_NE(changed([](ApplicantClaims& c) {
              c.email = "jane@fabrikam.com4:Jane";
              c.display_name = "";
            }),
            key);
}

}  // namespace
}  // namespace gatehouse::gateway
