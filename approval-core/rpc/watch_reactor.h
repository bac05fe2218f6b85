#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>

#include "approval/v1/review_service.pb.h"
#include "domain/approval_service.h"
#include "rpc/server_stream.h"

namespace gatehouse::core {

// One WatchRequests stream: the audit log after `since_revision`, each event with its request,
// in revision order. The store is the buffer: the stream reads a batch on the feed's thread
// (ChangeFeed::CatchUp), sends it, and reads the next once the client has taken it, so a slow
// client costs one batch of memory and lags behind without holding anyone up. Ending statuses
// say from which revision to resume.
class WatchReactor final
    : public ServerStream<grpc::ServerWriteReactor<approval::v1::WatchRequestsResponse>,
                          approval::v1::WatchRequestsResponse> {
 public:
  WatchReactor(grpc::CallbackServerContext& context, ApprovalService& approvals, ChangeFeed& feed,
               absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> access, int64_t since_revision);

  void CatchUp() override;

 private:
  void SentLocked(const approval::v1::WatchRequestsResponse& message) override;
  bool WantsCatchUpLocked() const override { return more_; }
  std::string ResumeHintLocked() const override;

  ApprovalService& approvals_;
  int64_t read_revision_;  // of the last event read from the store
  int64_t sent_revision_;  // of the last event the client took
  // There may be more to read than the last read found: it filled a batch, or events were
  // committed while the stream was still sending.
  bool more_ = true;
};

}  // namespace gatehouse::core
