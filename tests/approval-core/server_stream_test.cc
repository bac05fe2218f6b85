// The rpc layer's streams in process: a real gRPC server on 127.0.0.1:0 inside the test, the real
// reactors, store and tokens. StreamApprovals runs on a service of the test's own whose "store"
// answers when the test says, so orders the real store never shows are forced, not waited for.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "approval/v1/connector_service.grpc.pb.h"
#include "approval/v1/review_service.grpc.pb.h"
#include "auth/authenticator.h"
#include "auth/token_secrets.h"
#include "common/bearer.h"
#include "rpc/approval_stream_reactor.h"
#include "rpc/change_feed.h"
#include "rpc/review_service_impl.h"
#include "rpc/stream_access.h"
#include "storage/sqlite_token_store.h"
#include "test_support.h"

namespace gatehouse::core {
namespace {

namespace pb = ::approval::v1;
using namespace std::chrono_literals;
using testing::FakeClock;
using testing::SequentialIds;
using testing::TempDatabase;

// ConnectorService.StreamApprovals on the real ApprovalStreamReactor, its messages held until
// the test answers them: each answer is one result carrying the message's first email.
class HeldConnector final : public pb::ConnectorService::CallbackService {
 public:
  HeldConnector(CallGuard& guard, ChangeFeed& feed, StreamAccess& streams)
      : guard_(guard), feed_(feed), streams_(streams) {}

  grpc::ServerBidiReactor<pb::StreamApprovalsRequest, pb::StreamApprovalsResponse>* StreamApprovals(
      grpc::CallbackServerContext* context) override {
    return new ApprovalStreamReactor(
        *context, guard_, feed_, streams_.Admit(*context, {Role::kConnector}),
        [this](const pb::StreamApprovalsRequest& request, pb::StreamApprovalsResponse* response,
               std::function<void(absl::Status)> finish) -> absl::Status {
          std::lock_guard lock(mutex_);
          if (request.applicants_size() == 0) {
            ++refused_;
            changed_.notify_all();
            return absl::InvalidArgumentError("no applicants");
          }
          held_.push_back({request.applicants(0).email(), response, std::move(finish)});
          changed_.notify_all();
          return absl::OkStatus();
        });
  }

  // True once `count` messages were handed over (bounded wait).
  bool WaitForHeld(size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return held_.size() >= count; });
  }
  // True once `count` messages were refused (bounded wait).
  bool WaitForRefused(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return refused_ >= count; });
  }
  size_t held() {
    std::lock_guard lock(mutex_);
    return held_.size();
  }
  void Answer(size_t index) {
    Held message;
    {
      std::lock_guard lock(mutex_);
      message = held_.at(index);
    }
    message.response->add_results()->mutable_outcome()->set_request_id(message.email);
    message.finish(absl::OkStatus());
  }

 private:
  struct Held {
    std::string email;
    pb::StreamApprovalsResponse* response = nullptr;
    std::function<void(absl::Status)> finish;
  };
  CallGuard& guard_;
  ChangeFeed& feed_;
  StreamAccess& streams_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Held> held_;
  int refused_ = 0;
};

class ServerStreamTest : public ::testing::Test {
 protected:
  static constexpr auto kStallLimit = 300ms;

  ServerStreamTest()
      : connection_(db_.Open()),
        store_(*connection_),
        tokens_(*connection_),
        service_(store_, clock_, ids_),
        authenticator_(tokens_),
        guard_(authenticator_),
        streams_(guard_, 8),
        review_(service_, guard_, feed_, streams_),
        connector_(guard_, feed_, streams_) {
    store_.SetEventListener([this] { feed_.Notify(); });
    connector_token_ = Token("gateway", Role::kConnector);
    reviewer_token_ = Token("alice", Role::kReviewer);
    grpc::ServerBuilder builder;
    // Without BDP probing the flow-control window stays small, so a client that reads nothing
    // stalls the stream after a few messages.
    builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&review_);
    builder.RegisterService(&connector_);
    server_ = builder.BuildAndStart();
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    channel_ = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port_),
                                         grpc::InsecureChannelCredentials(), arguments);
  }

  ~ServerStreamTest() override {
    feed_.Close();
    server_->Shutdown(std::chrono::system_clock::now() + 1s);
    server_->Wait();
  }

  std::string Token(const std::string& name, Role role) {
    const std::string secret = GenerateTokenSecret();
    EXPECT_TRUE(tokens_.Insert({.name = name, .role = role, .hash = HashToken(secret)}).ok());
    return secret;
  }

  void Authorize(grpc::ClientContext& context, const std::string& token) {
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    context.AddMetadata("authorization", BearerHeader(token));
  }

  static pb::StreamApprovalsRequest Message(const std::string& email) {
    pb::StreamApprovalsRequest message;
    if (!email.empty()) message.add_applicants()->set_email(email);
    return message;
  }

  // `count` new applicants, each with `pad` bytes of claims.
  void Record(int count, size_t pad = 0) {
    for (int i = 0; i < count; ++i) {
      const Applicant applicant{.email = "applicant-" + std::to_string(i) + "@example.com",
                                .claims_json = "{\"pad\":\"" + std::string(pad, 'x') + "\"}"};
      ASSERT_TRUE(RequestApproval(service_, applicant).ok());
    }
  }

  TempDatabase db_;
  std::unique_ptr<SqliteConnection> connection_;
  // Before the store, whose commits notify it.
  ChangeFeed feed_{
      {.stall_limit = std::chrono::duration_cast<std::chrono::milliseconds>(kStallLimit),
       .stall_check_interval = 50ms}};
  SqliteRequestStore store_;
  SqliteTokenStore tokens_;
  FakeClock clock_;
  SequentialIds ids_;
  ApprovalService service_;
  Authenticator authenticator_;
  CallGuard guard_;
  StreamAccess streams_;
  ReviewServiceImpl review_;
  HeldConnector connector_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string connector_token_;
  std::string reviewer_token_;
};

TEST_F(ServerStreamTest, StreamApprovalsAnswersInTheOrderSentWhateverOrderTheStoreAnswersIn) {
  auto stub = pb::ConnectorService::NewStub(channel_);
  grpc::ClientContext context;
  Authorize(context, connector_token_);
  auto stream = stub->StreamApprovals(&context);
  for (const char* email : {"a@example.com", "b@example.com", "c@example.com"}) {
    ASSERT_TRUE(stream->Write(Message(email)));
  }
  ASSERT_TRUE(connector_.WaitForHeld(3));
  connector_.Answer(2);  // the store finishes the last message first...
  connector_.Answer(1);
  connector_.Answer(0);  // ...and the first one last
  stream->WritesDone();
  std::vector<std::string> answered;
  pb::StreamApprovalsResponse answer;
  while (stream->Read(&answer)) answered.push_back(answer.results(0).outcome().request_id());
  EXPECT_EQ(answered,
            (std::vector<std::string>{"a@example.com", "b@example.com", "c@example.com"}));
  const grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(ServerStreamTest, ARefusedMessageEndsTheStreamAfterTheAnswersBeforeIt) {
  auto stub = pb::ConnectorService::NewStub(channel_);
  grpc::ClientContext context;
  Authorize(context, connector_token_);
  auto stream = stub->StreamApprovals(&context);
  ASSERT_TRUE(stream->Write(Message("a@example.com")));
  ASSERT_TRUE(connector_.WaitForHeld(1));
  stream->Write(Message(""));                  // refused as a whole: no applicants
  stream->Write(Message("late@example.com"));  // after the refusal: never started
  // Refused while the store still holds the first message: the stream cannot end yet, and
  // reads nothing more. Once the first is answered, its answer goes out, then the refusal.
  ASSERT_TRUE(connector_.WaitForRefused(1));
  // (A read of the next message would have started it within this; none may come.)
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(connector_.held(), 1u);
  connector_.Answer(0);
  pb::StreamApprovalsResponse answer;
  ASSERT_TRUE(stream->Read(&answer));
  EXPECT_EQ(answer.results(0).outcome().request_id(), "a@example.com");
  EXPECT_FALSE(stream->Read(&answer));
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("no applicants"), std::string::npos);
  EXPECT_EQ(connector_.held(), 1u);
}

TEST_F(ServerStreamTest, AWatcherThatTakesNothingIsCutOffAndResumesWhereItStopped) {
  constexpr int kEvents = 40;
  Record(kEvents, 40 * 1024);  // far more than the flow-control window
  auto stub = pb::ReviewService::NewStub(channel_);
  auto context = std::make_unique<grpc::ClientContext>();
  Authorize(*context, reviewer_token_);
  pb::WatchRequestsRequest from_start;
  auto stream = stub->WatchRequests(context.get(), from_start);
  // Reads nothing for several stall limits: the server must have given up on it by then.
  std::this_thread::sleep_for(kStallLimit * 4);
  pb::WatchRequestsResponse message;
  int64_t last = 0;
  int received = 0;
  while (stream->Read(&message)) {
    EXPECT_EQ(message.event().revision(), last + 1);
    last = message.event().revision();
    ++received;
  }
  const grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.error_code() == grpc::StatusCode::CANCELLED ||
              status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_code() << " " << status.error_message();
  EXPECT_LT(received, kEvents);  // cut off, not served to the end

  // From the last revision it took, it gets the rest, without a gap or a repeat.
  grpc::ClientContext again;
  Authorize(again, reviewer_token_);
  pb::WatchRequestsRequest resume;
  resume.set_since_revision(last);
  auto resumed = stub->WatchRequests(&again, resume);
  while (last < kEvents && resumed->Read(&message)) {
    EXPECT_EQ(message.event().revision(), last + 1);
    last = message.event().revision();
  }
  EXPECT_EQ(last, kEvents);
  again.TryCancel();
  resumed->Finish();
}

TEST_F(ServerStreamTest, ClosingTheFeedEndsAWatchSayingWhereToResume) {
  Record(3);
  auto stub = pb::ReviewService::NewStub(channel_);
  grpc::ClientContext context;
  Authorize(context, reviewer_token_);
  auto stream = stub->WatchRequests(&context, pb::WatchRequestsRequest());
  pb::WatchRequestsResponse message;
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(stream->Read(&message));
    EXPECT_EQ(message.event().revision(), i);
    EXPECT_EQ(message.request().applicant().email(),
              "applicant-" + std::to_string(i - 1) + "@example.com");
  }
  feed_.Close();
  EXPECT_FALSE(stream->Read(&message));
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("resume from revision 3"), std::string::npos)
      << status.error_message();
}

TEST_F(ServerStreamTest, AWatcherFollowsCommitsMadeAfterItCaughtUp) {
  auto stub = pb::ReviewService::NewStub(channel_);
  grpc::ClientContext context;
  Authorize(context, reviewer_token_);
  auto stream = stub->WatchRequests(&context, pb::WatchRequestsRequest());
  constexpr int kEvents = 250;  // more than one read's batch
  std::thread writer([&] { Record(kEvents); });
  pb::WatchRequestsResponse message;
  int64_t last = 0;
  while (last < kEvents && stream->Read(&message)) {
    ASSERT_EQ(message.event().revision(), last + 1);
    last = message.event().revision();
  }
  writer.join();
  EXPECT_EQ(last, kEvents);
  context.TryCancel();
  stream->Finish();
}

}  // namespace
}  // namespace gatehouse::core
