#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <deque>
#include <optional>

#include "approval/v1/review_service.pb.h"
#include "domain/approval_service.h"
#include "rpc/change_feed.h"
#include "rpc/one_write_reactor.h"
#include "rpc/stream_access.h"

namespace gatehouse::core {

// One WatchRequests stream (callback API, one write in flight). It reads events after the
// last revision sent from the store in small batches, writes them one by one, and waits for
// the feed when caught up. Its token is checked again before every message (StreamAccess). The store is the buffer, so a slow client costs one message of
// memory; one that accepts nothing for a while is cut off (CutOffIfStalled). Deletes itself
// in OnDone.
class WatchReactor final : public OneWriteReactor<approval::v1::WatchRequestsResponse>,
                           public ChangeFeed::Watcher {
 public:
  WatchReactor(grpc::CallbackServerContext& context, ApprovalService& approvals, ChangeFeed& feed,
               std::unique_ptr<StreamAccess::Pass> access, int64_t since_revision);

  // ChangeFeed::Watcher
  void OnChange() override;
  void OnClose() override;
  void CutOffIfStalled(std::chrono::steady_clock::time_point now,
                       std::chrono::milliseconds limit) override;
  void RecheckAccess() override;

  // grpc::ServerWriteReactor (OnWriteDone and OnCancel are OneWriteReactor's)
  void OnDone() override;

 private:
  void AfterWriteLocked() override;
  // Starts the next write if none is in flight and there is something to send. Requires mutex_.
  void PumpLocked();

  grpc::CallbackServerContext& context_;
  ApprovalService& approvals_;
  ChangeFeed& feed_;
  const std::unique_ptr<StreamAccess::Pass> access_;
  int64_t last_revision_;  // of the last event queued for writing
  int64_t sent_revision_;  // of the last event the client received
  std::deque<approval::v1::WatchRequestsResponse> pending_;
  approval::v1::WatchRequestsResponse in_flight_;
  // When a stalled client was told to go; if it has not gone one limit later, it is cancelled.
  std::optional<std::chrono::steady_clock::time_point> cut_off_at_;
};

}  // namespace gatehouse::core
