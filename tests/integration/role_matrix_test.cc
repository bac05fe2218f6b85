// Every gRPC method against every kind of caller, over a real socket (design.md §5): unknown
// or missing tokens are UNAUTHENTICATED, the wrong role PERMISSION_DENIED, and a revoked token
// stops working at once.
#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <set>

#include "approval/v1/connector_service.grpc.pb.h"
#include "approval/v1/review_service.grpc.pb.h"
#include "approval/v1/status_service.grpc.pb.h"
#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

namespace pb = ::approval::v1;

using Call = std::function<grpc::Status(grpc::ClientContext*)>;

class RoleMatrixTest : public StackTest {
 protected:
  void SetUp() override {
    StackTest::SetUp();
    channel_ = grpc::CreateChannel(CoreAddress(), grpc::InsecureChannelCredentials());
    connector_ = pb::ConnectorService::NewStub(channel_);
    review_ = pb::ReviewService::NewStub(channel_);
    status_ = pb::StatusService::NewStub(channel_);
  }

  grpc::StatusCode Invoke(const Call& call, const std::string& token) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 5s);
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    return call(&context).error_code();
  }

  // Every method, called with a harmless request.
  std::map<std::string, Call> Methods() {
    std::map<std::string, Call> m;
    m["ConnectorService.CheckApprovalStatus"] = [this](grpc::ClientContext* c) {
      pb::CheckApprovalStatusRequest r;
      r.mutable_applicant()->set_email("matrix@example.com");
      pb::CheckApprovalStatusResponse out;
      return connector_->CheckApprovalStatus(c, r, &out);
    };
    m["ConnectorService.RequestApproval"] = [this](grpc::ClientContext* c) {
      pb::RequestApprovalRequest r;
      r.mutable_applicant()->set_email("matrix@example.com");
      pb::RequestApprovalResponse out;
      return connector_->RequestApproval(c, r, &out);
    };
    // Authenticated per message, so the answer to auth comes as the stream's status.
    m["ConnectorService.StreamApprovals"] = [this](grpc::ClientContext* c) {
      pb::StreamApprovalsRequest r;
      r.add_applicants()->set_email("matrix@example.com");
      auto stream = connector_->StreamApprovals(c);
      stream->Write(r);
      stream->WritesDone();
      pb::StreamApprovalsResponse out;
      while (stream->Read(&out)) {
      }
      return stream->Finish();
    };
    m["ReviewService.ListRequests"] = [this](grpc::ClientContext* c) {
      pb::ListRequestsResponse out;
      return review_->ListRequests(c, pb::ListRequestsRequest(), &out);
    };
    m["ReviewService.GetRequest"] = [this](grpc::ClientContext* c) {
      pb::GetRequestRequest r;
      r.set_id("zzzzzzzz");
      pb::GetRequestResponse out;
      return review_->GetRequest(c, r, &out);
    };
    m["ReviewService.ListEvents"] = [this](grpc::ClientContext* c) {
      pb::ListEventsResponse out;
      return review_->ListEvents(c, pb::ListEventsRequest(), &out);
    };
    m["ReviewService.ApproveRequest"] = [this](grpc::ClientContext* c) {
      pb::ApproveRequestRequest r;
      r.set_id("zzzzzzzz");
      pb::ApproveRequestResponse out;
      return review_->ApproveRequest(c, r, &out);
    };
    m["ReviewService.DenyRequest"] = [this](grpc::ClientContext* c) {
      pb::DenyRequestRequest r;
      r.set_id("zzzzzzzz");
      r.set_reason("matrix");
      pb::DenyRequestResponse out;
      return review_->DenyRequest(c, r, &out);
    };
    m["ReviewService.RevokeRequest"] = [this](grpc::ClientContext* c) {
      pb::RevokeRequestRequest r;
      r.set_id("zzzzzzzz");
      r.set_reason("matrix");
      pb::RevokeRequestResponse out;
      return review_->RevokeRequest(c, r, &out);
    };
    m["ReviewService.ReopenRequest"] = [this](grpc::ClientContext* c) {
      pb::ReopenRequestRequest r;
      r.set_id("zzzzzzzz");
      pb::ReopenRequestResponse out;
      return review_->ReopenRequest(c, r, &out);
    };
    m["StatusService.GetApprovalStatus"] = [this](grpc::ClientContext* c) {
      pb::GetApprovalStatusRequest r;
      r.set_email("matrix@example.com");
      pb::GetApprovalStatusResponse out;
      return status_->GetApprovalStatus(c, r, &out);
    };
    return m;
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb::ConnectorService::Stub> connector_;
  std::unique_ptr<pb::ReviewService::Stub> review_;
  std::unique_ptr<pb::StatusService::Stub> status_;
};

TEST_F(RoleMatrixTest, EveryMethodAdmitsExactlyItsRoles) {
  // Which roles each method admits (design.md §5).
  const std::map<std::string, std::set<std::string>> admits = {
      {"ConnectorService.CheckApprovalStatus", {"connector"}},
      {"ConnectorService.RequestApproval", {"connector"}},
      {"ConnectorService.StreamApprovals", {"connector"}},
      {"ReviewService.ListRequests", {"reviewer", "reader"}},
      {"ReviewService.GetRequest", {"reviewer", "reader"}},
      {"ReviewService.ListEvents", {"reviewer", "reader"}},
      {"ReviewService.ApproveRequest", {"reviewer"}},
      {"ReviewService.DenyRequest", {"reviewer"}},
      {"ReviewService.RevokeRequest", {"reviewer"}},
      {"ReviewService.ReopenRequest", {"reviewer"}},
      {"StatusService.GetApprovalStatus", {"reviewer", "reader"}},
  };
  const std::map<std::string, std::string> tokens = {
      {"connector", connector_token_}, {"reviewer", reviewer_token_}, {"reader", reader_token_}};
  const auto methods = Methods();
  ASSERT_EQ(methods.size(), admits.size());
  for (const auto& [name, call] : methods) {
    EXPECT_EQ(Invoke(call, ""), grpc::StatusCode::UNAUTHENTICATED) << name << " without token";
    EXPECT_EQ(Invoke(call, "gh_made-up"), grpc::StatusCode::UNAUTHENTICATED) << name;
    for (const auto& [role, token] : tokens) {
      const grpc::StatusCode code = Invoke(call, token);
      if (admits.at(name).contains(role)) {
        // Admitted: whatever the answer (NOT_FOUND for the made-up id), it is not about auth.
        EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED) << name << " as " << role;
        EXPECT_NE(code, grpc::StatusCode::PERMISSION_DENIED) << name << " as " << role;
        EXPECT_NE(code, grpc::StatusCode::UNIMPLEMENTED) << name << " as " << role;
      } else {
        EXPECT_EQ(code, grpc::StatusCode::PERMISSION_DENIED) << name << " as " << role;
      }
    }
  }
}

// The gateways' change notices: for the connector role only, though they carry no data.
TEST_F(RoleMatrixTest, ChangeNoticesAreForTheConnectorOnly) {
  auto open = [this](const std::string& token, bool* got_notice) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 5s);
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    auto stream = connector_->WatchChanges(&context, pb::WatchChangesRequest());
    pb::WatchChangesResponse notice;
    *got_notice = stream->Read(&notice);
    if (*got_notice) context.TryCancel();  // live: that is all we wanted to know
    return stream->Finish().error_code();
  };
  bool got_notice = false;
  EXPECT_EQ(open("", &got_notice), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(got_notice);
  EXPECT_EQ(open("gh_made-up", &got_notice), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(got_notice);
  for (const std::string& token : {reviewer_token_, reader_token_}) {
    EXPECT_EQ(open(token, &got_notice), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_FALSE(got_notice);
  }
  EXPECT_EQ(open(connector_token_, &got_notice), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(got_notice) << "a connector gets the first notice at once";
}

TEST_F(RoleMatrixTest, ARevokedTokenStopsWorkingWithoutARestart) {
  const Call list = Methods().at("ReviewService.ListRequests");
  ASSERT_EQ(Invoke(list, reader_token_), grpc::StatusCode::OK);
  RunResult revoke = RevokeToken("helpdesk");
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  EXPECT_EQ(Invoke(list, reader_token_), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Invoke(list, reviewer_token_), grpc::StatusCode::OK);  // others unaffected

  RunResult listed = RunCommand({kBin + "/approval-core", "token", "list", "--db", db_}, {});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.out.find("helpdesk\treader\t"), std::string::npos) << listed.out;
  for (const std::string& secret : {connector_token_, reviewer_token_, reader_token_}) {
    EXPECT_EQ(listed.out.find(secret), std::string::npos);  // never shown again
  }
}

}  // namespace
}  // namespace gatehouse::testing
