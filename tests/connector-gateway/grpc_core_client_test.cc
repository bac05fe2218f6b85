// GrpcCoreClient against an in-process gRPC server standing in for a core older than the
// gateway: one that has RequestApproval but neither StreamApprovals nor RequestApprovals
// (UNIMPLEMENTED).
#include "core/grpc_core_client.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

namespace gatehouse::gateway {
namespace {

namespace pb = ::approval::v1;
using namespace std::chrono_literals;

class OlderCore final : public pb::ConnectorService::Service {
 public:
  grpc::Status RequestApproval(grpc::ServerContext*, const pb::RequestApprovalRequest* request,
                               pb::RequestApprovalResponse* response) override {
    std::unique_lock lock(mutex_);
    ++single_calls_;
    // The first call waits until the test lets it go, so that others queue behind it.
    opened_.wait(lock, [this] { return open_; });
    response->mutable_outcome()->set_action(pb::CONNECTOR_ACTION_BLOCK);
    response->mutable_outcome()->set_reason(pb::BLOCK_REASON_REQUESTED);
    response->mutable_outcome()->set_request_id(request->applicant().email());
    return grpc::Status::OK;
  }
  grpc::Status RequestApprovals(grpc::ServerContext*, const pb::RequestApprovalsRequest*,
                                pb::RequestApprovalsResponse*) override {
    std::lock_guard lock(mutex_);
    ++batch_calls_;
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "");  // what a core without it says
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }
  int single_calls() {
    std::lock_guard lock(mutex_);
    return single_calls_;
  }
  int batch_calls() {
    std::lock_guard lock(mutex_);
    return batch_calls_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
  int single_calls_ = 0, batch_calls_ = 0;
};

TEST(GrpcCoreClientTest, AnOlderCoreWithoutStreamOrBatchIsAskedOneByOne) {
  OlderCore core;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&core);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(port, 0);
  GrpcCoreClient client(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()),
      "token", 1s);

  std::vector<ApplicantClaims> applicants(6);
  for (size_t i = 0; i < applicants.size(); ++i) {
    applicants[i].email = "applicant-" + std::to_string(i) + "@example.com";
  }
  std::vector<std::future<absl::StatusOr<Decision>>> answers;
  for (const ApplicantClaims& applicant : applicants) {
    answers.push_back(std::async(
        std::launch::async, [&] { return client.Decide(Hook::kRequestApproval, applicant, 5s); }));
  }
  // Two calls hold the slots; the other four queue and will travel together.
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (core.single_calls() < 2 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(1ms);
  }
  std::this_thread::sleep_for(200ms);
  core.Open();
  for (size_t i = 0; i < answers.size(); ++i) {
    auto answer = answers[i].get();
    ASSERT_TRUE(answer.ok()) << i << ": " << answer.status();
    EXPECT_EQ(answer->reason, Decision::Reason::kRequested);
    EXPECT_EQ(answer->request_id, applicants[i].email);
  }
  EXPECT_GE(core.batch_calls(), 1);  // tried, refused, then asked one by one
  EXPECT_EQ(core.single_calls(), 6);
  server->Shutdown();
}

}  // namespace
}  // namespace gatehouse::gateway
