#pragma once

#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "domain/approval_service.h"
#include "notify/change_signal.h"
#include "notify/delivery_store.h"
#include "notify/notify_target.h"

namespace gatehouse::core {

// Delivers the audit log to the configured targets (docs/notifications.md), off every hook's
// path: one thread per target reads the events after the target's durable position and sends
// them in revision order, at least once.
//
// - The position is saved after each batch read and before any wait, so a crash repeats at
//   most what was sent since (with the same webhook-id), and loses nothing.
// - A receiver that is down holds back its own target only, and gets everything in order once
//   back: retries follow RetryDelay (at once, 5 s, 5 min, … 24 h, ±10 %; Retry-After obeyed).
// - 410 Gone disables the target (kept in the database) until `notify retry`.
// - Another 4xx, or a spent schedule, records the event as failed and goes on with the next.
// - `notify retry` marks a target's failures; the thread sends them again within 5 s.
class Notifier {
 public:
  Notifier(std::vector<NotifyTarget> targets, ApprovalService& approvals, DeliveryStore& store,
           ChangeSignal& changes, absl::Duration pending_ttl);
  // Stops every thread; a delivery in progress finishes first (at most 10 s).
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

 private:
  class Worker;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace gatehouse::core
