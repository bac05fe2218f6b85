// ApprovalStream (through GrpcCoreClient) against an in-process gRPC server whose streams can
// be made to stall, which the real core cannot be told to do: answers must reach the callers
// they belong to, and a stalled stream must cost a caller no more than its deadline.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>

#include "core/grpc_core_client.h"

namespace gatehouse::gateway {
namespace {

namespace pb = ::approval::v1;
using namespace std::chrono_literals;

// Answers every applicant with "requested", its email as the request id. While stalled, a
// stream takes one message and then waits without answering until Release(), when it ends
// with UNAVAILABLE.
class StreamingCore final : public pb::ConnectorService::Service {
 public:
  explicit StreamingCore(bool stalled) : stalled_(stalled) {}

  grpc::Status StreamApprovals(
      grpc::ServerContext*,
      grpc::ServerReaderWriter<pb::StreamApprovalsResponse, pb::StreamApprovalsRequest>* stream)
      override {
    pb::StreamApprovalsRequest request;
    bool stalled = false;
    {
      std::lock_guard lock(mutex_);
      ++streams_;
      stalled = stalled_;
    }
    if (stalled) {
      if (!stream->Read(&request)) return grpc::Status::OK;
      std::unique_lock lock(mutex_);
      released_.wait(lock, [&] { return !stalled_; });
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "going away");
    }
    while (stream->Read(&request)) {
      pb::StreamApprovalsResponse response;
      for (const pb::Applicant& applicant : request.applicants()) {
        pb::ConnectorOutcome* outcome = response.add_results()->mutable_outcome();
        outcome->set_action(pb::CONNECTOR_ACTION_BLOCK);
        outcome->set_reason(pb::BLOCK_REASON_REQUESTED);
        outcome->set_request_id(applicant.email());
      }
      if (!stream->Write(response)) break;
    }
    return grpc::Status::OK;
  }

  void Release() {
    std::lock_guard lock(mutex_);
    stalled_ = false;
    released_.notify_all();
  }
  int streams() {
    std::lock_guard lock(mutex_);
    return streams_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  bool stalled_;
  int streams_ = 0;
};

class ApprovalStreamTest : public ::testing::Test {
 protected:
  void Start(bool stalled) {
    core_ = std::make_unique<StreamingCore>(stalled);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(core_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    client_ =
        std::make_unique<GrpcCoreClient>(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                             grpc::InsecureChannelCredentials()),
                                         "token", 1s);
  }
  void TearDown() override {
    if (core_) core_->Release();
    client_.reset();  // its stream ends before the server goes
    if (server_) server_->Shutdown();
  }

  static ApplicantClaims Applicant(const std::string& email) {
    ApplicantClaims claims;
    claims.email = email;
    return claims;
  }

  std::unique_ptr<StreamingCore> core_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<GrpcCoreClient> client_;
};

TEST_F(ApprovalStreamTest, ManyCallersAtOnceEachGetTheirOwnAnswer) {
  Start(/*stalled=*/false);
  constexpr int kCallers = 40;
  std::vector<std::future<absl::StatusOr<Decision>>> answers;
  for (int i = 0; i < kCallers; ++i) {
    answers.push_back(std::async(std::launch::async, [this, i] {
      return client_->Decide(Hook::kRequestApproval,
                             Applicant("caller-" + std::to_string(i) + "@example.com"), 5s);
    }));
  }
  for (int i = 0; i < kCallers; ++i) {
    auto answer = answers[static_cast<size_t>(i)].get();
    ASSERT_TRUE(answer.ok()) << i << ": " << answer.status();
    EXPECT_EQ(answer->request_id, "caller-" + std::to_string(i) + "@example.com");
    EXPECT_EQ(answer->reason, Decision::Reason::kRequested);
  }
  EXPECT_EQ(core_->streams(), 1) << "one stream carries them all";
}

TEST_F(ApprovalStreamTest, AStalledStreamCostsNoMoreThanTheDeadlineAndIsReplacedWhenItEnds) {
  Start(/*stalled=*/true);
  const auto start = std::chrono::steady_clock::now();
  auto answer = client_->Decide(Hook::kRequestApproval, Applicant("ada@example.com"), 300ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kDeadlineExceeded) << answer.status();
  EXPECT_LT(took, 300ms + 150ms);

  core_->Release();  // the stalled stream ends; the next call opens another
  const auto until = std::chrono::steady_clock::now() + 5s;
  do {
    answer = client_->Decide(Hook::kRequestApproval, Applicant("grace@example.com"), 1s);
  } while (!answer.ok() && std::chrono::steady_clock::now() < until);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->request_id, "grace@example.com");
  EXPECT_EQ(core_->streams(), 2);
}

}  // namespace
}  // namespace gatehouse::gateway
