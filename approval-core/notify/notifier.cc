#include "notify/notifier.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "notify/notify_event.h"
#include "notify/retry_schedule.h"
#include "notify/send_notification.h"

namespace gatehouse::core {
namespace {

constexpr int kBatch = 100;
// How often an idle thread looks for `notify retry` marks, and a failing store is tried again.
constexpr auto kPollInterval = std::chrono::seconds(5);
// A busy target saves its position at least this often.
constexpr auto kSaveInterval = std::chrono::seconds(1);
// After a short batch, the thread lets events gather this long before it reads again: under a
// stream of sign-ups one read then serves many events instead of one read per commit (CPU the
// hooks share on a small machine), for at most this much more delay.
constexpr auto kGatherInterval = std::chrono::milliseconds(50);

enum class Outcome { kDelivered, kFailed, kDisabled, kStopped };

}  // namespace

class Notifier::Worker {
 public:
  Worker(NotifyTarget target, ApprovalService& approvals, DeliveryStore& store,
         ChangeSignal& changes, absl::Duration pending_ttl)
      : target_(std::move(target)),
        approvals_(approvals),
        store_(store),
        changes_(changes),
        pending_ttl_(pending_ttl),
        random_(std::random_device{}()),
        thread_([this] { Run(); }) {}

  ~Worker() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    stop_.notify_all();
    changes_.Notify();  // wakes a thread waiting for events
    thread_.join();
  }

 private:
  bool Stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

  // Waits `delay` unless stopped first; false when stopped.
  bool Sleep(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return !stop_.wait_for(lock, delay, [this] { return stopping_; });
  }

  void Run() {
    while (!Stopping() && !OpenState()) Sleep(kPollInterval);
    while (true) {
      // Read before looking at `stopping_`: the destructor sets it, then bumps the generation,
      // so the wait below cannot miss the stop.
      const uint64_t seen = changes_.Generation();
      if (Stopping()) break;
      if (disabled_) {
        Sleep(kPollInterval);
        OpenState();  // `notify retry` turns it back on
        continue;
      }
      SendRequestedRetries();
      if (DigestDue() && SendDigest() == Outcome::kStopped) break;
      auto batch = approvals_.ListChanges(read_position_, kBatch);
      if (!batch.ok()) {
        spdlog::warn("notify {}: cannot read the audit log: {}", target_.name,
                     batch.status().ToString());
        Sleep(kPollInterval);
        continue;
      }
      if (batch->empty()) {
        Save();
        changes_.WaitPast(seen, IdleWait());
        continue;
      }
      for (const Change& change : *batch) {
        if (TargetWants(target_, change)) {
          if (SendsDigests(target_)) {
            digest_.push_back(change);
          } else if (const Outcome outcome = Deliver({change});
                     outcome == Outcome::kStopped || outcome == Outcome::kDisabled) {
            break;  // not past this event: it is sent again
          }
        }
        read_position_ = change.event.revision;
        if (digest_.empty()) position_ = read_position_;
        if (std::chrono::steady_clock::now() - saved_at_ > kSaveInterval) Save();
      }
      Save();
      if (batch->size() < static_cast<size_t>(kBatch)) Sleep(kGatherInterval);
    }
    Save();
  }

  // Reads the target's state (creating it at the log's end); false if the store failed.
  bool OpenState() {
    auto latest = store_.LatestRevision();
    auto state = latest.ok() ? store_.Open(target_.name, *latest) : latest.status();
    if (!state.ok()) {
      spdlog::warn("notify {}: {}", target_.name, state.status().ToString());
      return false;
    }
    position_ = std::max(position_, state->position);
    read_position_ = std::max(read_position_, position_);
    saved_position_ = position_;
    disabled_ = state->disabled.has_value();
    return true;
  }

  void Save() {
    if (position_ == saved_position_ && unsaved_delivered_ == 0) return;
    if (absl::Status saved = store_.Advance(target_.name, position_, unsaved_delivered_);
        !saved.ok()) {
      spdlog::warn("notify {}: cannot save the position: {}", target_.name, saved.ToString());
      return;  // tried again with the next save; at worst events are sent twice
    }
    saved_position_ = position_;
    unsaved_delivered_ = 0;
    saved_at_ = std::chrono::steady_clock::now();
  }

  // A digest goes out when its first request arrives after a quiet `digest` (at once, then),
  // or when it is full.
  bool DigestDue() const {
    return !digest_.empty() && (digest_.size() >= static_cast<size_t>(kBatch) ||
                                std::chrono::steady_clock::now() >= digest_sent_ + DigestPeriod());
  }

  std::chrono::milliseconds DigestPeriod() const {
    return std::chrono::milliseconds(absl::ToInt64Milliseconds(target_.digest));
  }

  std::chrono::milliseconds IdleWait() const {
    if (digest_.empty()) return kPollInterval;
    const auto until_due = std::chrono::duration_cast<std::chrono::milliseconds>(
        digest_sent_ + DigestPeriod() - std::chrono::steady_clock::now());
    return std::clamp<std::chrono::milliseconds>(until_due, std::chrono::milliseconds(1),
                                                 kPollInterval);
  }

  Outcome SendDigest() {
    const Outcome outcome = Deliver(digest_);
    if (outcome == Outcome::kStopped) return outcome;
    digest_.clear();  // delivered, or recorded as failed
    digest_sent_ = std::chrono::steady_clock::now();
    position_ = read_position_;
    Save();
    return outcome;
  }

  // Looks for `notify retry` marks at most once a second: under load the loop turns twenty
  // times a second, and the marks come from an operator, not from the log.
  void SendRequestedRetries() {
    const auto now = std::chrono::steady_clock::now();
    if (now - retries_checked_ < std::chrono::seconds(1)) return;
    retries_checked_ = now;
    auto failures = store_.ListFailures(target_.name);
    if (!failures.ok()) return;
    for (const FailedDelivery& failure : *failures) {
      if (!failure.retry_requested || Stopping() || disabled_) continue;
      auto found = approvals_.ListChanges(failure.revision - 1, 1);
      if (!found.ok()) return;
      if (found->empty() || found->front().event.revision != failure.revision) {
        store_.ClearFailure(target_.name, failure.revision).IgnoreError();  // nothing to send
        continue;
      }
      if (Deliver({found->front()}) == Outcome::kDelivered) {
        store_.ClearFailure(target_.name, failure.revision).IgnoreError();
      }
    }
  }

  // Sends `changes` (one, or a digest) until delivered, refused for good, or out of schedule.
  Outcome Deliver(const std::vector<Change>& changes) {
    const int64_t first = changes.front().event.revision;
    for (int failures = 0;;) {
      const DeliveryAnswer answer =
          SendNotification(target_, changes, pending_ttl_, absl::Now(), http_);
      if (answer.outcome == DeliveryAnswer::Outcome::kDelivered) {
        unsaved_delivered_ += static_cast<int64_t>(changes.size());
        return Outcome::kDelivered;
      }
      ++failures;
      if (answer.outcome == DeliveryAnswer::Outcome::kGone) {
        spdlog::error(
            "notify {}: the receiver answered 410 Gone; target disabled until "
            "`approval-core notify retry {}`",
            target_.name, target_.name);
        Save();
        store_.Disable(target_.name, absl::Now(), "HTTP 410 Gone").IgnoreError();
        disabled_ = true;
        return Outcome::kDisabled;
      }
      std::optional<std::chrono::milliseconds> delay;
      if (answer.outcome == DeliveryAnswer::Outcome::kTryLater) {
        delay = RetryDelay(failures, answer.retry_after, random_);
      }
      if (!delay) {
        spdlog::error("notify {}: event {} failed for good after {} attempt(s): {}", target_.name,
                      first, failures, answer.detail);
        for (const Change& change : changes) {
          store_
              .RecordFailure({.target = target_.name,
                              .revision = change.event.revision,
                              .failed_at = absl::Now(),
                              .attempts = failures,
                              .error = answer.detail})
              .IgnoreError();
        }
        return Outcome::kFailed;
      }
      spdlog::warn("notify {}: event {} attempt {} failed ({}); next in {} s", target_.name, first,
                   failures, answer.detail, delay->count() / 1000);
      Save();  // what went before is not sent again if the process stops while waiting
      if (!Sleep(*delay)) return Outcome::kStopped;
    }
  }

  const NotifyTarget target_;
  ApprovalService& approvals_;
  DeliveryStore& store_;
  ChangeSignal& changes_;
  const absl::Duration pending_ttl_;
  std::mt19937_64 random_;
  CurlEasy http_;  // one connection to the receiver, kept open between events

  // Only the worker's thread uses these.
  int64_t position_ = 0;       // everything up to here is done with (the durable position)
  int64_t read_position_ = 0;  // read up to here; beyond position_ while a digest gathers
  std::vector<Change> digest_;
  std::chrono::steady_clock::time_point digest_sent_;
  std::chrono::steady_clock::time_point retries_checked_;  // epoch: the first check is at once  //
                                                           // epoch: the first digest goes at once
  int64_t saved_position_ = 0;
  int64_t unsaved_delivered_ = 0;
  std::chrono::steady_clock::time_point saved_at_ = std::chrono::steady_clock::now();
  bool disabled_ = false;

  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

Notifier::Notifier(std::vector<NotifyTarget> targets, ApprovalService& approvals,
                   DeliveryStore& store, ChangeSignal& changes, absl::Duration pending_ttl) {
  for (NotifyTarget& target : targets) {
    workers_.push_back(
        std::make_unique<Worker>(std::move(target), approvals, store, changes, pending_ttl));
  }
}

Notifier::~Notifier() = default;

}  // namespace gatehouse::core
