#include "notify/retry_schedule.h"

#include <algorithm>
#include <array>

namespace gatehouse::core {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// The waits before the 2nd to 10th attempt; the first is at once.
constexpr std::array<milliseconds, 9> kWaits = {seconds(5), minutes(5), minutes(30),
                                                hours(2),   hours(5),   hours(10),
                                                hours(14),  hours(20),  hours(24)};

}  // namespace

int MaxDeliveryAttempts() { return static_cast<int>(kWaits.size()) + 1; }

std::optional<milliseconds> RetryDelay(int failures, std::optional<seconds> retry_after,
                                       std::mt19937_64& random) {
  if (failures < 1 || failures > static_cast<int>(kWaits.size())) return std::nullopt;
  if (retry_after) {
    return std::clamp<milliseconds>(*retry_after, milliseconds(0), hours(24));
  }
  const milliseconds wait = kWaits[static_cast<size_t>(failures - 1)];
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  return milliseconds(static_cast<int64_t>(static_cast<double>(wait.count()) * jitter(random)));
}

}  // namespace gatehouse::core
