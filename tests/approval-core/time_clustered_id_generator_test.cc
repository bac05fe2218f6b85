// Request ids: short, typeable, unguessable past their time prefix, never drawn twice from the
// same bytes, and made in the same second next to each other in the id index.
#include "system/time_clustered_id_generator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace gatehouse::core {
namespace {

using testing::FakeClock;

constexpr std::string_view kAlphabet = "23456789abcdefghjkmnpqrstvwxyz";

TEST(TimeClusteredIdGeneratorTest, IdsAreEightCharactersWithoutLookAlikes) {
  FakeClock clock;
  TimeClusteredIdGenerator ids(clock);
  for (int i = 0; i < 1000; ++i) {
    const std::string id = ids.NewId();
    ASSERT_EQ(id.size(), 8u) << id;
    EXPECT_EQ(id.find_first_not_of(kAlphabet), std::string::npos) << id;
    clock.Advance(absl::Seconds(7));
  }
}

// Ids of one second share their first two characters, so they land on the same index pages;
// each next second's sort after them, until the prefix comes round again after 900 seconds.
TEST(TimeClusteredIdGeneratorTest, TheFirstTwoCharactersNameTheSecondWithinAQuarterHour) {
  FakeClock clock;
  TimeClusteredIdGenerator ids(clock);
  const std::string first = ids.NewId();
  EXPECT_EQ(ids.NewId().substr(0, 2), first.substr(0, 2));
  clock.Advance(absl::Milliseconds(999));  // FakeClock starts on a whole second
  EXPECT_EQ(ids.NewId().substr(0, 2), first.substr(0, 2)) << "still the same second";

  std::string previous = ids.NewId().substr(0, 2);
  std::set<std::string> prefixes{previous};
  for (int second = 1; second < 900; ++second) {
    clock.Advance(absl::Seconds(1));
    const std::string prefix = ids.NewId().substr(0, 2);
    if (prefix != "22") {  // "22" only where the quarter hour comes round
      EXPECT_GT(prefix, previous) << "second " << second;
    }
    prefixes.insert(prefix);
    previous = prefix;
  }
  EXPECT_EQ(prefixes.size(), 900u) << "every second of the quarter hour has its own prefix";
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(ids.NewId().substr(0, 2), first.substr(0, 2)) << "900 s later, the same prefix";
}

// Of n ids drawn in one second from 30^6, about n^2 / (2 * 30^6) collide by chance: 0.62 for
// 30,000 (the store then draws another). More than 8 has a chance below 1e-7; bytes drawn
// twice, by a bad refill or threads sharing a buffer, would repeat hundreds of ids.
constexpr int kMostChanceCollisions = 8;

int Collisions(const std::vector<std::string>& drawn) {
  return static_cast<int>(drawn.size() - std::set(drawn.begin(), drawn.end()).size());
}

// Many times the bytes one draw from OpenSSL holds, and every character of the random part
// about as often as the others (expected 6,000 each; a skew from a bad refill or rejection
// bound would show).
TEST(TimeClusteredIdGeneratorTest, IdsOfOneSecondAreDistinctAndTheirRandomPartIsEven) {
  FakeClock clock;
  TimeClusteredIdGenerator ids(clock);
  std::vector<std::string> drawn;
  std::map<char, int> counts;
  for (int i = 0; i < 30000; ++i) {
    drawn.push_back(ids.NewId());
    for (char c : drawn.back().substr(2)) ++counts[c];
  }
  EXPECT_LE(Collisions(drawn), kMostChanceCollisions);
  ASSERT_EQ(counts.size(), kAlphabet.size());
  for (const auto& [c, n] : counts) {
    EXPECT_GT(n, 5200) << c;
    EXPECT_LT(n, 6800) << c;
  }
}

TEST(TimeClusteredIdGeneratorTest, ThreadsDrawDifferentIds) {
  FakeClock clock;
  TimeClusteredIdGenerator ids(clock);
  std::vector<std::vector<std::string>> drawn(4);
  std::vector<std::thread> threads;
  for (auto& mine : drawn) {
    threads.emplace_back([&ids, &mine] {
      for (int i = 0; i < 2000; ++i) mine.push_back(ids.NewId());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> all;
  for (const auto& mine : drawn) all.insert(all.end(), mine.begin(), mine.end());
  EXPECT_LE(Collisions(all), kMostChanceCollisions);
}

}  // namespace
}  // namespace gatehouse::core
