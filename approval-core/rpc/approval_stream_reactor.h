#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "approval/v1/connector_service.grpc.pb.h"
#include "rpc/call_guard.h"
#include "rpc/server_stream.h"

namespace gatehouse::core {

// One StreamApprovals stream: every message read is authenticated and started at once (the
// store groups what arrives into its commits), and answered by one message, in the order read.
// At most kMaxWaiting messages are read and not yet written; beyond that the stream reads no
// more until the client takes an answer, so a client that sends without reading holds a bounded
// amount of memory.
//
// A message refused as a whole (its token, its size) ends the stream with its status after the
// answers before it; the server closing ends it with UNAVAILABLE after the answers to what it
// started. The stream never finishes while the store still holds one of its messages, whose
// answer is written into it. Each message is authenticated when read, and the token is checked
// again every second (ServerStream): a revoked token's stream gets no answer after that.
class ApprovalStreamReactor final
    : public ServerStream<grpc::ServerBidiReactor<approval::v1::StreamApprovalsRequest,
                                                  approval::v1::StreamApprovalsResponse>,
                          approval::v1::StreamApprovalsResponse> {
 public:
  // Starts the work of one message; see ConnectorServiceImpl::StartApprovals.
  using StartWork = std::function<absl::Status(const approval::v1::StreamApprovalsRequest&,
                                               approval::v1::StreamApprovalsResponse*,
                                               std::function<void(absl::Status)> finish)>;

  static constexpr size_t kMaxWaiting = 16;

  ApprovalStreamReactor(grpc::CallbackServerContext& context, CallGuard& guard, ChangeFeed& feed,
                        absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> access,
                        StartWork start);

  void OnReadDone(bool ok) override;

 private:
  struct Message {
    approval::v1::StreamApprovalsRequest request;
    approval::v1::StreamApprovalsResponse response;
    std::optional<grpc::Status> status;  // set when answered
  };

  void SentLocked(const approval::v1::StreamApprovalsResponse&) override { ReadLocked(); }
  bool HoldsWorkLocked() const override { return with_store_ > 0; }

  void Answered(Message& message, grpc::Status status);
  // Reads the next message, if the stream goes on and has room for it.
  void ReadLocked();
  // Sends the answered messages at the front, in order; ends the stream at a refused one, or
  // once the client half-closed and has every answer.
  void FlushLocked();

  CallGuard& guard_;
  const StartWork start_;
  std::deque<std::unique_ptr<Message>> messages_;  // read and not yet sent, oldest first
  std::unique_ptr<Message> reading_;               // the read in flight, if any
  // A message read and not yet handed to the store. No read starts meanwhile, or the next
  // message could reach the store first, or be started after this one was refused.
  bool starting_ = false;
  bool reads_over_ = false;  // the client half-closed or is gone: nothing more to read
  bool refused_ = false;     // a message was refused as a whole: nothing more is read
  int with_store_ = 0;       // messages started and not yet answered
};

}  // namespace gatehouse::core
