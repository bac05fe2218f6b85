#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "approval/v1/connector_service.grpc.pb.h"
#include "rpc/call_guard.h"
#include "rpc/change_feed.h"
#include "rpc/stream_access.h"

namespace gatehouse::core {

// One StreamApprovals stream: every message read is authenticated and started at once (the
// store groups what arrives into its commits), and answered by one message, in the order read,
// with at most one write in flight. At most kMaxWaiting messages wait for their answer to be
// written; beyond that the stream reads no more until one is, so a client that sends without
// reading holds a bounded amount of memory.
//
// The stream ends (Finish) only when no message is still with the store, because the store's
// callbacks point into this reactor: after the client half-closes and everything is written,
// when a message fails as a whole (its status, after the answers before it), when the server
// shuts down (UNAVAILABLE, after the answers of what it started), or when the client goes away
// or stops taking answers, or its token is revoked (the answers left are dropped: nothing is
// sent after a revocation; the token is checked again before every answer).
class ApprovalStreamReactor final
    : public grpc::ServerBidiReactor<approval::v1::StreamApprovalsRequest,
                                     approval::v1::StreamApprovalsResponse>,
      public ChangeFeed::Watcher {
 public:
  // Starts the work of one message; see ConnectorServiceImpl::StartApprovals.
  using Start = std::function<absl::Status(const approval::v1::StreamApprovalsRequest&,
                                           approval::v1::StreamApprovalsResponse*,
                                           std::function<void(absl::Status)> finish)>;

  // `access`: the stream's admission (StreamAccess::Admit); refused, the stream ends at once
  // with its status.
  ApprovalStreamReactor(grpc::CallbackServerContext& context, CallGuard& guard, ChangeFeed& feed,
                        absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> access, Start start);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

  // ChangeFeed::Watcher: the feed says when the server closes and asks about stalled clients.
  void OnChange() override {}
  void OnClose() override;
  void CutOffIfStalled(std::chrono::steady_clock::time_point now,
                       std::chrono::milliseconds limit) override;
  void RecheckAccess() override;

 private:
  static constexpr size_t kMaxWaiting = 16;

  struct Message {
    approval::v1::StreamApprovalsRequest request;
    approval::v1::StreamApprovalsResponse response;
    std::optional<grpc::Status> status;  // set when answered
  };

  void Answered(Message& message, grpc::Status status);
  // Reads the next message, if the stream goes on and has room for it. Requires mutex_.
  void ReadLocked();
  // Writes the oldest message if it is answered and nothing is being written, or finishes the
  // stream when it is over. Requires mutex_.
  void ContinueLocked();

  grpc::CallbackServerContext& context_;
  CallGuard& guard_;
  ChangeFeed& feed_;
  std::unique_ptr<StreamAccess::Pass> access_;
  const Start start_;
  std::mutex mutex_;
  std::deque<std::unique_ptr<Message>> messages_;  // read and not yet written, oldest first
  std::unique_ptr<Message> reading_;               // the read in flight, if any
  // A message read and not yet handed to the store. No read starts meanwhile, or the next
  // message could reach the store first, or be started after this one was refused.
  bool starting_ = false;
  bool reads_over_ = false;  // the client half-closed or is gone: nothing more to read
  int with_store_ = 0;       // messages started and not yet answered
  bool writing_ = false;
  std::chrono::steady_clock::time_point write_started_;
  // Why the stream ends, once it must: a message failed as a whole, the server is closing, or
  // the client is gone. Nothing new starts then.
  std::optional<grpc::Status> ending_;
  // The token was revoked (or the client is gone): the answers not yet written are dropped.
  bool dropping_ = false;
  bool finished_ = false;
};

}  // namespace gatehouse::core
