// Request ids: short, typeable, unguessable, and never drawn twice from the same bytes.
#include "system/random_id_generator.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace gatehouse::core {
namespace {

constexpr std::string_view kAlphabet = "23456789abcdefghjkmnpqrstvwxyz";

TEST(RandomIdGeneratorTest, IdsAreEightCharactersWithoutLookAlikes) {
  RandomIdGenerator ids;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = ids.NewId();
    ASSERT_EQ(id.size(), 8u) << id;
    EXPECT_EQ(id.find_first_not_of(kAlphabet), std::string::npos) << id;
  }
}

// Many times the bytes one draw from OpenSSL holds, and every character about as often as the
// others (expected 8,000 each; a skew from a bad refill or rejection bound would show).
TEST(RandomIdGeneratorTest, IdsAreDistinctAndEveryCharacterIsAsLikely) {
  RandomIdGenerator ids;
  std::set<std::string> seen;
  std::map<char, int> counts;
  for (int i = 0; i < 30000; ++i) {
    const std::string id = ids.NewId();
    EXPECT_TRUE(seen.insert(id).second) << "drawn twice: " << id;
    for (char c : id) ++counts[c];
  }
  ASSERT_EQ(counts.size(), kAlphabet.size());
  for (const auto& [c, n] : counts) {
    EXPECT_GT(n, 7000) << c;
    EXPECT_LT(n, 9000) << c;
  }
}

TEST(RandomIdGeneratorTest, ThreadsDrawDifferentIds) {
  RandomIdGenerator ids;
  std::vector<std::vector<std::string>> drawn(4);
  std::vector<std::thread> threads;
  for (auto& mine : drawn) {
    threads.emplace_back([&ids, &mine] {
      for (int i = 0; i < 2000; ++i) mine.push_back(ids.NewId());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& mine : drawn) all.insert(mine.begin(), mine.end());
  EXPECT_EQ(all.size(), 4u * 2000u);
}

}  // namespace
}  // namespace gatehouse::core
