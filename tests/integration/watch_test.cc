// WatchRequests over a real socket: history then live changes, resume without gaps or
// duplicates after a disconnect, and a prompt, clear end when the server shuts down.
#include <grpcpp/grpcpp.h>

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
