#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "approval/v1/connector_service.pb.h"
#include "rpc/server_stream.h"

namespace gatehouse::core {

// One WatchChanges stream: a notice at once, then one after each change (ChangeFeed::CatchUp).
// A change while a notice is on its way only marks another as due, so a stream holds at most
// two notices however fast commits come. A client that takes no notice within the stall limit
// is cut off: it would otherwise go on trusting answers that changes have made stale.
class ChangeNoticeReactor final
    : public ServerStream<grpc::ServerWriteReactor<approval::v1::WatchChangesResponse>,
                          approval::v1::WatchChangesResponse> {
 public:
  ChangeNoticeReactor(grpc::CallbackServerContext& context, ChangeFeed& feed,
                      absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> access);

  void CatchUp() override;

 private:
  void SentLocked(const approval::v1::WatchChangesResponse& message) override;
  // Sends a notice, or marks one as due while one is on its way.
  void NotifyLocked();

  bool due_ = false;
};

}  // namespace gatehouse::core
