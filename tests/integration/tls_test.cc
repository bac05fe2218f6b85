// approval-core over TLS with client certificates (mutual TLS), the gateway and reviewer as
// its clients; certificates come from a throw-away CA made with the openssl command.
#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

class TlsTest : public StackTest {
 protected:
  // A CA, a server certificate for 127.0.0.1 and a client certificate, made once per test.
  const std::string& Certs() {
    if (certs_.empty()) {
      certs_ = dir_ + "/pki";
      const std::string script = R"(set -e
mkdir -p "$1" && cd "$1"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
key ca.key && openssl req -x509 -key ca.key -out ca.pem -days 2 -subj "/CN=Gatehouse test CA"
for who in server client other; do
  key $who.key
  openssl req -new -key $who.key -out $who.csr -subj "/CN=$who"
done
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
  -days 2 -extfile server.ext 2>/dev/null
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem \
  -days 2 2>/dev/null
# Signed by nobody we trust.
openssl req -x509 -key other.key -out other.pem -days 2 -subj "/CN=stranger"
)";
      RunResult made = RunCommand({"/bin/bash", "-c", script, "pki", certs_}, {});
      EXPECT_EQ(made.exit_code, 0) << made.err;
    }
    return certs_;
  }

  std::vector<std::string> ExtraCoreArgs() override {
    return {"--tls-cert",  Certs() + "/server.pem", "--tls-key", Certs() + "/server.key",
            "--client-ca", Certs() + "/ca.pem"};
  }
  std::vector<std::string> ExtraGatewayArgs() override {
    return {"--core-ca",  Certs() + "/ca.pem",    "--core-cert", Certs() + "/client.pem",
            "--core-key", Certs() + "/client.key"};
  }
  std::vector<std::string> ExtraReviewerArgs() override {
    return {"--tls-ca",  Certs() + "/ca.pem",    "--tls-cert", Certs() + "/client.pem",
            "--tls-key", Certs() + "/client.key"};
  }

  RunResult RawReviewer(std::vector<std::string> tls_args) {
    std::vector<std::string> argv = {kBin + "/reviewer", "--server", CoreAddress()};
    argv.insert(argv.end(), tls_args.begin(), tls_args.end());
    argv.push_back("list");
    return RunCommand(argv, {{"GATEHOUSE_TOKEN", reviewer_token_}});
  }

  std::string certs_;
};

TEST_F(TlsTest, TheLoopWorksOverMutualTls) {
  EXPECT_NE(core_->Log().find("TLS, client certificates required"), std::string::npos);
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string id = PendingId("john.smith@fabrikam.com");
  ASSERT_EQ(Reviewer({"approve", id}, reviewer_token_).exit_code, 0);
  ExpectContinue(Hook("check-approval", kJohn));
}

TEST_F(TlsTest, ClientsWithoutTheRightCertificateAreTurnedAway) {
  EXPECT_EQ(RawReviewer({}).exit_code, 3);                                 // plaintext against TLS
  EXPECT_EQ(RawReviewer({"--tls-ca", Certs() + "/ca.pem"}).exit_code, 3);  // no client cert
  EXPECT_EQ(RawReviewer({"--tls-ca", Certs() + "/ca.pem", "--tls-cert", Certs() + "/other.pem",
                         "--tls-key", Certs() + "/other.key"})
                .exit_code,
            3);  // a certificate from a stranger
  EXPECT_EQ(RawReviewer({"--tls-ca", Certs() + "/other.pem", "--tls-cert", Certs() + "/client.pem",
                         "--tls-key", Certs() + "/client.key"})
                .exit_code,
            3);  // the server is not who the client trusts
  RunResult half =
      RawReviewer({"--tls-ca", Certs() + "/ca.pem", "--tls-cert", Certs() + "/client.pem"});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_NE(half.err.find("certificate and its key go together"), std::string::npos) << half.err;
}

TEST_F(TlsTest, BadTlsSettingsStopTheCoreWithAClearMessage) {
  RunResult missing =
      RunCommand({kBin + "/approval-core", "--listen", "127.0.0.1:0", "--db", db_, "--tls-cert",
                  Certs() + "/nope.pem", "--tls-key", Certs() + "/server.key"},
                 {}, 10s);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read the certificate file"), std::string::npos) << missing.err;
  RunResult ca_only = RunCommand({kBin + "/approval-core", "--listen", "127.0.0.1:0", "--db", db_,
                                  "--client-ca", Certs() + "/ca.pem"},
                                 {}, 10s);
  EXPECT_EQ(ca_only.exit_code, 2);
  EXPECT_NE(ca_only.err.find("needs TLS"), std::string::npos) << ca_only.err;
}

}  // namespace
}  // namespace gatehouse::testing
