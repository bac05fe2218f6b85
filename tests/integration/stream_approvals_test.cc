// ConnectorService.StreamApprovals against the real core: several hook 2 applicants in one
// message, each answered as RequestApproval would answer it, in order, one failure not failing
// the others.
#include <grpcpp/grpcpp.h>

#include <set>

#include "approval/v1/connector_service.grpc.pb.h"
#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

namespace pb = ::approval::v1;

class StreamApprovalsTest : public StackTest {
 protected:
  void SetUp() override {
    StackTest::SetUp();
    connector_ = pb::ConnectorService::NewStub(
        grpc::CreateChannel(CoreAddress(), grpc::InsecureChannelCredentials()));
  }

  // Sends `request` as the only message of a stream: its answer in `response`, if one came,
  // and the stream's status.
  grpc::Status Send(const pb::StreamApprovalsRequest& request,
                    pb::StreamApprovalsResponse* response) {
    auto opened = OpenStream();
    opened->stream->Write(request);
    opened->stream->WritesDone();
    while (opened->stream->Read(response)) {
    }
    return opened->stream->Finish();
  }

  // A StreamApprovals stream with the connector's token.
  struct Stream {
    grpc::ClientContext context;
    std::unique_ptr<
        grpc::ClientReaderWriter<pb::StreamApprovalsRequest, pb::StreamApprovalsResponse>>
        stream;
  };
  std::unique_ptr<Stream> OpenStream() {
    auto opened = std::make_unique<Stream>();
    opened->context.set_deadline(std::chrono::system_clock::now() + 10s);
    opened->context.AddMetadata("authorization", "Bearer " + connector_token_);
    opened->stream = connector_->StreamApprovals(&opened->context);
    return opened;
  }

  static pb::StreamApprovalsRequest Applicants(std::initializer_list<std::string> emails) {
    pb::StreamApprovalsRequest request;
    for (const std::string& email : emails) request.add_applicants()->set_email(email);
    return request;
  }

  std::unique_ptr<pb::ConnectorService::Stub> connector_;
};

TEST_F(StreamApprovalsTest, EachApplicantIsAnsweredOnItsOwnInOrder) {
  pb::StreamApprovalsRequest request;
  request.add_applicants()->set_email("Ada@Example.com");
  request.add_applicants()->set_display_name("nobody to recognise");  // no email, no identity
  request.add_applicants()->set_email("ada@example.com");             // the first, again
  pb::Applicant* broken = request.add_applicants();
  broken->set_email("broken@example.com");
  broken->set_claims_json("[1, 2]");  // not a JSON object
  request.add_applicants()->set_email("grace@example.com");
  pb::StreamApprovalsResponse response;
  const grpc::Status status = Send(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 5);

  const pb::ConnectorOutcome& ada = response.results(0).outcome();
  EXPECT_EQ(ada.action(), pb::CONNECTOR_ACTION_BLOCK);
  EXPECT_EQ(ada.reason(), pb::BLOCK_REASON_REQUESTED);
  EXPECT_EQ(response.results(1).outcome().action(), pb::CONNECTOR_ACTION_INVALID);
  EXPECT_EQ(response.results(1).outcome().reason(), pb::BLOCK_REASON_MISSING_IDENTITY);
  // Later in the same call, the first applicant is already known: counted, not duplicated.
  EXPECT_EQ(response.results(2).outcome().reason(), pb::BLOCK_REASON_PENDING);
  EXPECT_EQ(response.results(2).outcome().request_id(), ada.request_id());
  ASSERT_TRUE(response.results(3).has_failure());
  EXPECT_EQ(response.results(3).failure().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(response.results(3).failure().message().find("claims_json"), std::string::npos);
  EXPECT_EQ(response.results(4).outcome().reason(), pb::BLOCK_REASON_REQUESTED);

  const json all = AllRequests();
  ASSERT_EQ(all.size(), 2u) << all.dump();
  EXPECT_EQ(all[0]["email"], "ada@example.com");
  EXPECT_EQ(all[0]["attempts"], 2);
  EXPECT_EQ(all[1]["email"], "grace@example.com");
}

TEST_F(StreamApprovalsTest, NoneOrTooManyApplicantsAreRefusedAndRecordNothing) {
  pb::StreamApprovalsResponse response;
  grpc::Status status = Send(pb::StreamApprovalsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("1 to 64 applicants, not 0"), std::string::npos)
      << status.error_message();

  pb::StreamApprovalsRequest too_many;
  for (int i = 0; i < 65; ++i) {
    too_many.add_applicants()->set_email("many-" + std::to_string(i) + "@example.com");
  }
  status = Send(too_many, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("not 65"), std::string::npos) << status.error_message();
  EXPECT_TRUE(AllRequests().empty());
}

TEST_F(StreamApprovalsTest, TheStreamAnswersEachMessageInTheOrderSent) {
  auto opened = OpenStream();
  // All written before any answer is read: the core may commit them together or apart, and
  // still answers in order.
  ASSERT_TRUE(opened->stream->Write(Applicants({"ada@example.com", "grace@example.com"})));
  ASSERT_TRUE(opened->stream->Write(Applicants({"Ada@Example.com", "alan@example.com"})));
  ASSERT_TRUE(opened->stream->Write(Applicants({"edsger@example.com"})));
  std::vector<pb::StreamApprovalsResponse> answers(3);
  for (pb::StreamApprovalsResponse& answer : answers) {
    ASSERT_TRUE(opened->stream->Read(&answer));
  }
  ASSERT_TRUE(opened->stream->WritesDone());
  const grpc::Status status = opened->stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();

  ASSERT_EQ(answers[0].results_size(), 2);
  ASSERT_EQ(answers[1].results_size(), 2);
  ASSERT_EQ(answers[2].results_size(), 1);
  const pb::ConnectorOutcome& ada = answers[0].results(0).outcome();
  EXPECT_EQ(ada.reason(), pb::BLOCK_REASON_REQUESTED);
  EXPECT_EQ(answers[0].results(1).outcome().reason(), pb::BLOCK_REASON_REQUESTED);
  // The second message asks for Ada again: the request of the first, not a new one.
  EXPECT_EQ(answers[1].results(0).outcome().reason(), pb::BLOCK_REASON_PENDING);
  EXPECT_EQ(answers[1].results(0).outcome().request_id(), ada.request_id());
  EXPECT_EQ(answers[1].results(1).outcome().reason(), pb::BLOCK_REASON_REQUESTED);
  EXPECT_EQ(answers[2].results(0).outcome().reason(), pb::BLOCK_REASON_REQUESTED);
  EXPECT_EQ(AllRequests().size(), 4u);
}

TEST_F(StreamApprovalsTest, AnEmptyMessageEndsTheStreamAfterTheAnswersBeforeIt) {
  auto opened = OpenStream();
  ASSERT_TRUE(opened->stream->Write(Applicants({"ada@example.com"})));
  opened->stream->Write(pb::StreamApprovalsRequest());
  opened->stream->Write(Applicants({"after@example.com"}));  // refused with the stream
  pb::StreamApprovalsResponse answer;
  ASSERT_TRUE(opened->stream->Read(&answer));
  EXPECT_EQ(answer.results(0).outcome().reason(), pb::BLOCK_REASON_REQUESTED);
  EXPECT_FALSE(opened->stream->Read(&answer));
  const grpc::Status status = opened->stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("1 to 64 applicants, not 0"), std::string::npos)
      << status.error_message();
  const json all = AllRequests();
  ASSERT_EQ(all.size(), 1u) << all.dump();
  EXPECT_EQ(all[0]["email"], "ada@example.com");
}

TEST_F(StreamApprovalsTest, ARevokedTokenEndsAnOpenStream) {
  auto opened = OpenStream();
  ASSERT_TRUE(opened->stream->Write(Applicants({"ada@example.com"})));
  pb::StreamApprovalsResponse answer;
  ASSERT_TRUE(opened->stream->Read(&answer));
  RunResult revoke = RevokeToken("gateway");
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  // Every message is authenticated again, so the revocation holds on a stream already open.
  opened->stream->Write(Applicants({"grace@example.com"}));
  EXPECT_FALSE(opened->stream->Read(&answer));
  EXPECT_EQ(opened->stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  const json all = AllRequests();
  ASSERT_EQ(all.size(), 1u) << all.dump();
}

TEST_F(StreamApprovalsTest, TheGatewaySaysWhenItsTokenWasRevokedAndFailsClosed) {
  // The gateway's stream is open and in use when its token is revoked.
  EXPECT_EQ(
      Hook("request-approval", json{{"email", "before@example.com"}}.dump()).body.value("code", ""),
      "GATEHOUSE-APPROVAL-REQUESTED");
  RunResult revoke = RevokeToken("gateway");
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  for (int i = 0; i < 2; ++i) {  // on the open stream, then on a new one
    EXPECT_EQ(Hook("request-approval", json{{"email", "after@example.com"}}.dump())
                  .body.value("code", ""),
              "GATEHOUSE-UNAVAILABLE");
  }
  const std::string log = gateway_->Log();
  EXPECT_NE(log.find("code=GATEHOUSE-UNAVAILABLE request=- core_error=UNAUTHENTICATED"),
            std::string::npos)
      << log;
  EXPECT_EQ(AllRequests().size(), 1u);
}

TEST_F(StreamApprovalsTest, SimultaneousSignUpsThroughTheGatewayAreEachRecordedOnce) {
  // 24 at once, more than the gateway's calls in flight: most of them travel together.
  constexpr int kApplicants = 24;
  std::vector<std::thread> callers;
  std::vector<std::string> codes(kApplicants);
  for (int i = 0; i < kApplicants; ++i) {
    callers.emplace_back([&, i] {
      const std::string body =
          json{{"email", "crowd-" + std::to_string(i) + "@example.com"}}.dump();
      codes[static_cast<size_t>(i)] = Hook("request-approval", body).body.value("code", "");
    });
  }
  for (auto& caller : callers) caller.join();
  for (int i = 0; i < kApplicants; ++i) {
    EXPECT_EQ(codes[static_cast<size_t>(i)], "GATEHOUSE-APPROVAL-REQUESTED") << i;
  }
  const json all = AllRequests();
  ASSERT_EQ(all.size(), static_cast<size_t>(kApplicants));
  std::set<std::string> emails;
  for (const json& request : all) emails.insert(request["email"].get<std::string>());
  EXPECT_EQ(emails.size(), static_cast<size_t>(kApplicants));
}

}  // namespace
}  // namespace gatehouse::testing
