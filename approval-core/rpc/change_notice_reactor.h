#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>

#include "approval/v1/connector_service.pb.h"
#include "rpc/change_feed.h"
#include "rpc/one_write_reactor.h"
#include "rpc/stream_access.h"

namespace gatehouse::core {

// One WatchChanges stream: a notice at once, then one per change. A change while a notice is
// in flight only marks another as due, so a stream holds at most two messages' worth of state
// however fast commits come. A client that takes no notice within the stall limit is cancelled:
// it would otherwise go on trusting answers that changes have made stale. Deletes itself in
// OnDone.
class ChangeNoticeReactor final : public OneWriteReactor<approval::v1::WatchChangesResponse>,
                                  public ChangeFeed::Watcher {
 public:
  ChangeNoticeReactor(grpc::CallbackServerContext& context, ChangeFeed& feed,
                      std::unique_ptr<StreamAccess::Pass> access);

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
  // Sends a notice now, or marks one as due if one is in flight. Requires mutex_.
  void NotifyLocked();

  grpc::CallbackServerContext& context_;
  ChangeFeed& feed_;
  const std::unique_ptr<StreamAccess::Pass> access_;
  const approval::v1::WatchChangesResponse notice_;
  bool due_ = false;  // a change came while a notice was in flight
};

}  // namespace gatehouse::core
