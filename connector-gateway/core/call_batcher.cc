#include "core/call_batcher.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {

CallBatcher::CallBatcher(Send send, size_t max_batch, int max_calls)
    : send_(std::move(send)),
      max_batch_(std::max<size_t>(1, max_batch)),
      max_calls_(std::max(1, max_calls)) {}

absl::StatusOr<Decision> CallBatcher::Call(const ApplicantClaims& applicant,
                                           Clock::time_point deadline) {
  Waiter self{.applicant = &applicant, .deadline = deadline};
  std::unique_lock lock(mutex_);
  if (calls_ < max_calls_) {
    ++calls_;
    Lead(self, lock);
    return std::move(self.answer);
  }
  queue_.push_back(&self);
  if (!self.woken->wait_until(lock, deadline,
                              [&] { return self.state != Waiter::State::kQueued; })) {
    queue_.erase(std::find(queue_.begin(), queue_.end(), &self));
    return absl::DeadlineExceededError(
        "the calls to approval-core ahead of this one did not return within the deadline");
  }
  if (self.state == Waiter::State::kLeading) {
    Lead(self, lock);
  } else {
    self.woken->wait(lock, [&] { return self.state == Waiter::State::kAnswered; });
  }
  return std::move(self.answer);
}

size_t CallBatcher::queued() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void CallBatcher::Lead(Waiter& self, std::unique_lock<std::mutex>& lock) {
  std::vector<Waiter*> batch{&self};
  while (!queue_.empty() && batch.size() < max_batch_) {
    Waiter* next = queue_.front();
    queue_.pop_front();
    next->state = Waiter::State::kSent;
    batch.push_back(next);
  }
  lock.unlock();
  std::vector<absl::StatusOr<Decision>> answers = SendSafely(batch);
  // Woken after the lock is released, so that none of them wakes only to wait for it; the
  // next sender first, so that the next call leaves before the answers of this one.
  std::vector<std::shared_ptr<std::condition_variable>> to_wake;
  to_wake.reserve(batch.size());
  lock.lock();
  if (queue_.empty()) {
    --calls_;
  } else {
    Waiter* next = queue_.front();
    queue_.pop_front();
    next->state = Waiter::State::kLeading;
    to_wake.push_back(next->woken);
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->answer = std::move(answers[i]);
    batch[i]->state = Waiter::State::kAnswered;
    if (batch[i] != &self) to_wake.push_back(batch[i]->woken);
  }
  lock.unlock();
  for (const auto& woken : to_wake) woken->notify_one();
}

std::vector<absl::StatusOr<Decision>> CallBatcher::SendSafely(const std::vector<Waiter*>& batch) {
  std::vector<absl::StatusOr<Decision>> answers(
      batch.size(), absl::DeadlineExceededError("the deadline passed before the call was sent"));
  // Whoever is already out of time is not sent: its deadline would cut the others' call short.
  const Clock::time_point now = Clock::now();
  std::vector<const ApplicantClaims*> applicants;
  std::vector<size_t> sent;  // index in `batch` of applicants[j]
  Clock::time_point deadline = Clock::time_point::max();
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i]->deadline <= now) continue;
    applicants.push_back(batch[i]->applicant);
    sent.push_back(i);
    deadline = std::min(deadline, batch[i]->deadline);
  }
  if (applicants.empty()) return answers;
  std::vector<absl::StatusOr<Decision>> got;
  try {
    got = send_(applicants, deadline);
  } catch (const std::exception& e) {
    got.assign(applicants.size(), absl::InternalError(e.what()));
  }
  if (got.size() != applicants.size()) {
    got.assign(applicants.size(),
               absl::InternalError(absl::StrCat("approval-core answered ", got.size(),
                                                " applicants of ", applicants.size())));
  }
  for (size_t j = 0; j < sent.size(); ++j) answers[sent[j]] = std::move(got[j]);
  return answers;
}

}  // namespace gatehouse::gateway
