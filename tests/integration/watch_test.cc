// WatchRequests over a real socket: history then live changes, resume without gaps or
// duplicates after a disconnect, and a prompt, clear end when the server shuts down.
#include <grpcpp/grpcpp.h>

#include "approval/v1/connector_service.grpc.pb.h"
#include "approval/v1/review_service.grpc.pb.h"
#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

namespace pb = ::approval::v1;

class WatchTest : public StackTest {
 protected:
  struct Stream {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<pb::WatchRequestsResponse>> reader;
  };

  std::unique_ptr<Stream> Watch(int64_t since, const std::string& token) {
    auto stream = std::make_unique<Stream>();
    stream->context.set_deadline(std::chrono::system_clock::now() + 30s);
    stream->context.AddMetadata("authorization", "Bearer " + token);
    if (!stub_) {
      stub_ = pb::ReviewService::NewStub(
          grpc::CreateChannel(CoreAddress(), grpc::InsecureChannelCredentials()));
    }
    pb::WatchRequestsRequest request;
    request.set_since_revision(since);
    stream->reader = stub_->WatchRequests(&stream->context, request);
    return stream;
  }

  // Reads `n` messages (each read is bounded by the stream's deadline).
  std::vector<pb::WatchRequestsResponse> Read(Stream& stream, int n) {
    std::vector<pb::WatchRequestsResponse> got;
    pb::WatchRequestsResponse message;
    while (static_cast<int>(got.size()) < n && stream.reader->Read(&message)) {
      got.push_back(message);
    }
    return got;
  }

  std::unique_ptr<pb::ReviewService::Stub> stub_;
};

TEST_F(WatchTest, StreamsHistoryThenLiveChangesAndResumesWithoutGaps) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string john = PendingId("john.smith@fabrikam.com");

  auto stream = Watch(0, reader_token_);  // readers may watch
  auto first = Read(*stream, 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].event().type(), pb::EVENT_TYPE_CREATED);
  EXPECT_EQ(first[0].event().request_id(), john);
  EXPECT_EQ(first[0].request().applicant().email(), "john.smith@fabrikam.com");

  // Live: an approval arrives on the open stream.
  ASSERT_EQ(Reviewer({"approve", john, "--reason", "ok"}, reviewer_token_).exit_code, 0);
  auto live = Read(*stream, 1);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].event().type(), pb::EVENT_TYPE_APPROVED);
  EXPECT_EQ(live[0].event().actor(), "alice");
  EXPECT_EQ(live[0].request().state(), pb::REQUEST_STATE_APPROVED);
  const int64_t seen = live[0].event().revision();
  EXPECT_GT(seen, first[0].event().revision());

  // Disconnect; more happens meanwhile; resume from the last revision seen.
  stream->context.TryCancel();
  stream.reset();
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string mary = PendingId("mary@contoso.com");
  ASSERT_EQ(Reviewer({"deny", mary, "--reason", "no"}, reviewer_token_).exit_code, 0);

  auto resumed = Watch(seen, reviewer_token_);
  auto missed = Read(*resumed, 2);
  ASSERT_EQ(missed.size(), 2u);
  EXPECT_EQ(missed[0].event().revision(), seen + 1);  // no gap, no duplicate
  EXPECT_EQ(missed[0].event().type(), pb::EVENT_TYPE_CREATED);
  EXPECT_EQ(missed[1].event().type(), pb::EVENT_TYPE_DENIED);
  EXPECT_EQ(missed[1].event().request_id(), mary);
  resumed->context.TryCancel();
}

TEST_F(WatchTest, RefusesCallersWithoutAReadingRole) {
  for (const std::string& token : {connector_token_, std::string("gh_made-up")}) {
    auto stream = Watch(0, token);
    pb::WatchRequestsResponse message;
    EXPECT_FALSE(stream->reader->Read(&message));
    const grpc::StatusCode code = stream->reader->Finish().error_code();
    EXPECT_TRUE(code == grpc::StatusCode::PERMISSION_DENIED ||
                code == grpc::StatusCode::UNAUTHENTICATED)
        << code;
  }
}

TEST_F(WatchTest, ShutdownWithAStreamOpenIsPromptAndSaysWhereToResume) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  auto stream = Watch(0, reviewer_token_);
  ASSERT_EQ(Read(*stream, 1).size(), 1u);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(core_->Stop(SIGTERM), 0) << core_->Log();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);  // not the 5 s grace, not forever
  pb::WatchRequestsResponse message;
  EXPECT_FALSE(stream->reader->Read(&message));
  const grpc::Status status = stream->reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("resume from revision 1"), std::string::npos)
      << status.error_message();
}

class SlowWatchTest : public WatchTest {
 protected:
  std::vector<std::string> ExtraCoreArgs() override { return {"--watch-stall-ms", "500"}; }
};

TEST_F(SlowWatchTest, AClientThatTakesNothingIsCutOffInsteadOfPilingUp) {
  // Enough large events to fill every flow-control window between core and client.
  const std::string pad(40 * 1024, 'x');
  for (int i = 0; i < 150; ++i) {
    Hook("request-approval",
         json{{"email", "big-" + std::to_string(i) + "@example.com"}, {"pad", pad}}.dump());
  }
  auto stream = Watch(0, reviewer_token_);  // ...and never read while the core sends
  EXPECT_TRUE(core_->WaitForLog("(cut off a watch client that took no message for 500 ms)", 20s))
      << core_->Log();
  pb::WatchRequestsResponse message;
  int received = 0;
  while (stream->reader->Read(&message)) ++received;
  const grpc::Status status = stream->reader->Finish();
  EXPECT_TRUE(status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ||
              status.error_code() == grpc::StatusCode::CANCELLED)
      << status.error_code() << " " << status.error_message();
  EXPECT_GT(received, 0);    // what was already on its way arrives
  EXPECT_LT(received, 150);  // but not everything: it was cut off
  // Reconnecting from the last revision received picks up where it stopped.
  auto resumed = Watch(message.event().revision(), reviewer_token_);
  pb::WatchRequestsResponse next;
  ASSERT_TRUE(resumed->reader->Read(&next));
  EXPECT_EQ(next.event().revision(), message.event().revision() + 1);
  resumed->context.TryCancel();
}

}  // namespace
}  // namespace gatehouse::testing

namespace gatehouse::testing {
namespace {

namespace pb = ::approval::v1;

// design.md §5 tokens on open streams: a revoked token's stream ends (UNAUTHENTICATED) within
// 2 s and is sent nothing after the revocation; a token holds at most 8 streams at once.
class StreamTokenTest : public StackTest {
 protected:
  std::shared_ptr<grpc::Channel> Channel() {
    if (!channel_) {
      channel_ = grpc::CreateChannel(CoreAddress(), grpc::InsecureChannelCredentials());
    }
    return channel_;
  }
  static void Authorize(grpc::ClientContext& context, const std::string& token) {
    context.set_deadline(std::chrono::system_clock::now() + 20s);
    context.AddMetadata("authorization", "Bearer " + token);
  }
  // Reads until the stream ends; returns how long that took and how many messages came.
  template <typename Reader, typename Message>
  static std::pair<std::chrono::milliseconds, int> DrainTimed(Reader& reader, Message& message) {
    const auto start = std::chrono::steady_clock::now();
    int messages = 0;
    while (reader.Read(&message)) ++messages;
    return {std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start),
            messages};
  }

  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(StreamTokenTest, ARevokedWatchersStreamEndsAndIsSentNothingMore) {
  const std::string token = CreateToken("watcher", "reader");
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  auto stub = pb::ReviewService::NewStub(Channel());
  grpc::ClientContext context;
  Authorize(context, token);
  pb::WatchRequestsRequest request;
  auto reader = stub->WatchRequests(&context, request);
  pb::WatchRequestsResponse message;
  ASSERT_TRUE(reader->Read(&message));  // John's request: the stream is live

  ASSERT_EQ(RevokeToken("watcher").exit_code, 0);
  // A change right after the revocation must not reach the revoked watcher.
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const auto [took, after] = DrainTimed(*reader, message);
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  EXPECT_EQ(after, 0) << "a message reached a revoked token";
  EXPECT_LT(took, 2s);
}

TEST_F(StreamTokenTest, ARevokedConnectorTokensStreamsEndWithinTwoSeconds) {
  const std::string token = CreateToken("gateway-2", "connector");
  auto stub = pb::ConnectorService::NewStub(Channel());
  grpc::ClientContext notices_context;
  Authorize(notices_context, token);
  auto notices = stub->WatchChanges(&notices_context, pb::WatchChangesRequest());
  pb::WatchChangesResponse notice;
  ASSERT_TRUE(notices->Read(&notice));  // the first notice: live

  grpc::ClientContext approvals_context;
  Authorize(approvals_context, token);
  auto approvals = stub->StreamApprovals(&approvals_context);
  pb::StreamApprovalsRequest ask;
  ask.add_applicants()->set_email("stream@example.com");
  ASSERT_TRUE(approvals->Write(ask));
  pb::StreamApprovalsResponse answer;
  ASSERT_TRUE(approvals->Read(&answer));
  ASSERT_EQ(answer.results_size(), 1);
  ASSERT_TRUE(notices->Read(&notice));  // the notice of that commit, sent before the revocation

  // Both streams now idle: the periodic check ends them.
  ASSERT_EQ(RevokeToken("gateway-2").exit_code, 0);
  const auto revoked = std::chrono::steady_clock::now();
  const auto [notices_took, more_notices] = DrainTimed(*notices, notice);
  EXPECT_EQ(notices->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(more_notices, 0);
  EXPECT_LT(notices_took, 2s);
  int answers = 0;
  while (approvals->Read(&answer)) ++answers;
  EXPECT_LT(std::chrono::steady_clock::now() - revoked, 2s);
  EXPECT_EQ(answers, 0);
  EXPECT_EQ(approvals->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // The gateway's own token is untouched: sign-ups go on.
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
}

TEST_F(StreamTokenTest, ATokenHoldsAtMostEightStreams) {
  const std::string token = CreateToken("greedy", "reader");
  auto stub = pb::ReviewService::NewStub(Channel());
  struct Open {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<pb::WatchRequestsResponse>> reader;
  };
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  auto open = [&] {
    auto stream = std::make_unique<Open>();
    Authorize(stream->context, token);
    stream->reader = stub->WatchRequests(&stream->context, pb::WatchRequestsRequest());
    return stream;
  };
  std::vector<std::unique_ptr<Open>> streams;
  pb::WatchRequestsResponse message;
  for (int i = 0; i < 8; ++i) {
    streams.push_back(open());
    ASSERT_TRUE(streams.back()->reader->Read(&message)) << "stream " << i;
  }
  auto ninth = open();
  EXPECT_FALSE(ninth->reader->Read(&message));
  const grpc::Status refused = ninth->reader->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("max_streams_per_token"), std::string::npos);
  // Another token is not held back by this one.
  auto other = pb::ReviewService::NewStub(Channel());
  grpc::ClientContext other_context;
  Authorize(other_context, reader_token_);
  auto other_reader = other->WatchRequests(&other_context, pb::WatchRequestsRequest());
  EXPECT_TRUE(other_reader->Read(&message));
  other_context.TryCancel();
  other_reader->Finish();
  // Closing one gives its place back (once the server has seen it go).
  streams.back()->context.TryCancel();
  streams.back()->reader->Finish();
  streams.pop_back();
  bool reopened = false;
  for (int attempt = 0; attempt < 20 && !reopened; ++attempt) {
    auto again = open();
    reopened = again->reader->Read(&message);
    if (!reopened) {
      again->reader->Finish();
      std::this_thread::sleep_for(100ms);
    } else {
      streams.push_back(std::move(again));
    }
  }
  EXPECT_TRUE(reopened);
  for (auto& stream : streams) {
    stream->context.TryCancel();
    stream->reader->Finish();
  }
}

}  // namespace
}  // namespace gatehouse::testing
