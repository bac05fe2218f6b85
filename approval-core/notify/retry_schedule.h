#pragma once

#include <chrono>
#include <optional>
#include <random>

namespace gatehouse::core {

// When to try a delivery again (Standard Webhooks' schedule): at once, then 5 s, 5 min,
// 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after the previous failure, each ±10 % so that
// the targets of one outage do not all come back in the same second.
//
// The wait after `failures` failed attempts (1 after the first); nullopt once the schedule is
// spent. A receiver's Retry-After (with 429 or 503, say) replaces the scheduled wait, up to
// 24 h, but does not give the event more attempts.
std::optional<std::chrono::milliseconds> RetryDelay(int failures,
                                                    std::optional<std::chrono::seconds> retry_after,
                                                    std::mt19937_64& random);

// How many attempts the schedule allows in all.
int MaxDeliveryAttempts();

}  // namespace gatehouse::core
