// GrpcCoreClient against an in-process gRPC server standing in for a core older than the
// gateway: one that has RequestApproval but not StreamApprovals (UNIMPLEMENTED).
#include "core/grpc_core_client.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <future>
#include <mutex>

namespace gatehouse::gateway {
namespace {

namespace pb = ::approval::v1;
using namespace std::chrono_literals;

class OlderCore final : public pb::ConnectorService::Service {
 public:
  grpc::Status RequestApproval(grpc::ServerContext*, const pb::RequestApprovalRequest* request,
                               pb::RequestApprovalResponse* response) override {
    std::lock_guard lock(mutex_);
    ++calls_;
    response->mutable_outcome()->set_action(pb::CONNECTOR_ACTION_BLOCK);
    response->mutable_outcome()->set_reason(pb::BLOCK_REASON_REQUESTED);
    response->mutable_outcome()->set_request_id(request->applicant().email());
    return grpc::Status::OK;
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::mutex mutex_;
  int calls_ = 0;
};

TEST(GrpcCoreClientTest, AnOlderCoreWithoutTheStreamIsAskedByCalls) {
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
  for (size_t i = 0; i < answers.size(); ++i) {
    auto answer = answers[i].get();
    ASSERT_TRUE(answer.ok()) << i << ": " << answer.status();
    EXPECT_EQ(answer->reason, Decision::Reason::kRequested);
    EXPECT_EQ(answer->request_id, applicants[i].email);
  }
  EXPECT_EQ(core.calls(), 6);  // each once: the refused stream recorded nothing
  server->Shutdown(std::chrono::system_clock::now() + 1s);
}

}  // namespace
}  // namespace gatehouse::gateway
