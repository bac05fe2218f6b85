#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/statusor.h"
#include "model/applicant_claims.h"
#include "model/decision.h"

namespace gatehouse::gateway {

// Lets the threads that ask for hook 2 at the same time share one call to the core, the way a
// database shares one commit among the transactions that wait for it. gRPC's cost per call
// (about 100 µs of the gateway's CPU, bench/run.sh) was most of what a new applicant cost;
// under load one call now carries many of them.
//
// No thread of its own and no timer: a caller that finds fewer than `max_calls` calls in
// flight sends at once (alone when the gateway is quiet, so nothing waits for company). The
// others queue; when a call returns, its sender hands the slot to the first in the queue, who
// sends everything queued by then. A queued caller whose deadline passes leaves the queue and
// fails closed without having been sent.
class CallBatcher {
 public:
  using Clock = std::chrono::steady_clock;
  // Sends one call for `applicants`, to be answered by `deadline`: one answer per applicant,
  // in order. May fail each applicant on its own, or all with the call's error. Must not throw.
  using Send = std::function<std::vector<absl::StatusOr<Decision>>(
      const std::vector<const ApplicantClaims*>& applicants, Clock::time_point deadline)>;

  CallBatcher(Send send, size_t max_batch, int max_calls);

  // The core's answer for `applicant`, sent alone or with others; DEADLINE_EXCEEDED if it
  // could not be sent before `deadline`.
  absl::StatusOr<Decision> Call(const ApplicantClaims& applicant, Clock::time_point deadline);

  // Callers waiting for a call slot.
  size_t queued();

 private:
  struct Waiter {
    enum class State { kQueued, kLeading, kSent, kAnswered };
    const ApplicantClaims* applicant;
    Clock::time_point deadline;
    State state = State::kQueued;
    absl::StatusOr<Decision> answer{absl::UnknownError("not answered")};
    // Shared so that it can be notified after the lock is released: a waiter that sees its
    // answer returns and takes the Waiter with it, but not this.
    std::shared_ptr<std::condition_variable> woken = std::make_shared<std::condition_variable>();
  };

  // Sends `self` and what is queued, passes the call slot on, then answers them all.
  // Called with `lock` held and a slot counted in calls_; returns with it released.
  void Lead(Waiter& self, std::unique_lock<std::mutex>& lock);
  std::vector<absl::StatusOr<Decision>> SendSafely(const std::vector<Waiter*>& batch);

  const Send send_;
  const size_t max_batch_;
  const int max_calls_;
  std::mutex mutex_;
  std::deque<Waiter*> queue_;
  int calls_ = 0;  // in flight, or about to be
};

}  // namespace gatehouse::gateway
