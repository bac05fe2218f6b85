// approval-core over TLS with client certificates (mutual TLS), the gateway and reviewer as
// its clients; certificates come from a throw-away CA made with the openssl command.
#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

class TlsTest : public StackTest {
 protected:
  std::vector<std::string> ExtraCoreArgs() override {
    return {"--tls-cert",          Pki() + "/server.pem", "--tls-key",
            Pki() + "/server.key", "--client-ca",         Pki() + "/ca.pem"};
  }
  std::vector<std::string> ExtraGatewayArgs() override {
    return {"--core-ca",           Pki() + "/ca.pem", "--core-cert",
            Pki() + "/client.pem", "--core-key",      Pki() + "/client.key"};
  }
  std::vector<std::string> ExtraReviewerArgs() override {
    return {"--tls-ca",  Pki() + "/ca.pem",    "--tls-cert", Pki() + "/client.pem",
            "--tls-key", Pki() + "/client.key"};
  }

  RunResult RawReviewer(std::vector<std::string> tls_args) {
    std::vector<std::string> argv = {kBin + "/reviewer", "--server", CoreAddress()};
    argv.insert(argv.end(), tls_args.begin(), tls_args.end());
    argv.push_back("list");
    return RunCommand(argv, {{"GATEHOUSE_TOKEN", reviewer_token_}});
  }
};

TEST_F(TlsTest, TheLoopWorksOverMutualTls) {
  EXPECT_NE(core_->Log().find("TLS, client certificates required"), std::string::npos);
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string id = PendingId("john.smith@fabrikam.com");
  ASSERT_EQ(Reviewer({"approve", id}, reviewer_token_).exit_code, 0);
  ExpectContinue(Hook("check-approval", kJohn));
}

TEST_F(TlsTest, ClientsWithoutTheRightCertificateAreTurnedAway) {
  EXPECT_EQ(RawReviewer({}).exit_code, 3);                               // plaintext against TLS
  EXPECT_EQ(RawReviewer({"--tls-ca", Pki() + "/ca.pem"}).exit_code, 3);  // no client cert
  EXPECT_EQ(RawReviewer({"--tls-ca", Pki() + "/ca.pem", "--tls-cert", Pki() + "/other.pem",
                         "--tls-key", Pki() + "/other.key"})
                .exit_code,
            3);  // a certificate from a stranger
  EXPECT_EQ(RawReviewer({"--tls-ca", Pki() + "/other.pem", "--tls-cert", Pki() + "/client.pem",
                         "--tls-key", Pki() + "/client.key"})
                .exit_code,
            3);  // the server is not who the client trusts
  RunResult half =
      RawReviewer({"--tls-ca", Pki() + "/ca.pem", "--tls-cert", Pki() + "/client.pem"});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_NE(half.err.find("certificate and its key go together"), std::string::npos) << half.err;
}

TEST_F(TlsTest, BadTlsSettingsStopTheCoreWithAClearMessage) {
  RunResult missing =
      RunCommand({kBin + "/approval-core", "--listen", "127.0.0.1:0", "--db", db_, "--tls-cert",
                  Pki() + "/nope.pem", "--tls-key", Pki() + "/server.key"},
                 {}, 10s);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read the certificate file"), std::string::npos) << missing.err;
  RunResult ca_only = RunCommand({kBin + "/approval-core", "--listen", "127.0.0.1:0", "--db", db_,
                                  "--client-ca", Pki() + "/ca.pem"},
                                 {}, 10s);
  EXPECT_EQ(ca_only.exit_code, 2);
  EXPECT_NE(ca_only.err.find("needs TLS"), std::string::npos) << ca_only.err;
}

}  // namespace
}  // namespace gatehouse::testing
