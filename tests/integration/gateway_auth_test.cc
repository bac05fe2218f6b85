// How Azure proves itself to the gateway (connector-contract.md §1.5): HTTPS with client
// certificates, pinned thumbprints, X-ARR-ClientCert from a trusted proxy, and several Basic
// credentials during a rotation. And how the listener copes with slow and idle connections.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <vector>

#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream file(path);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

class HttpsGatewayTest : public StackTest {
 protected:
  std::vector<std::string> ExtraGatewayArgs() override {
    return {"--tls-cert",          Pki() + "/server.pem", "--tls-key",
            Pki() + "/server.key", "--client-ca",         Pki() + "/ca.pem"};
  }

  // POST to the HTTPS gateway as `who` ("client", "other" or "" for no certificate); status,
  // or -1 when the TLS handshake fails.
  int Post(const std::string& who, const std::string& password = kBasicPassword) {
    std::unique_ptr<httplib::SSLClient> client =
        who.empty() ? std::make_unique<httplib::SSLClient>("127.0.0.1", gateway_port_)
                    : std::make_unique<httplib::SSLClient>("127.0.0.1", gateway_port_,
                                                           Pki() + "/" + who + ".pem",
                                                           Pki() + "/" + who + ".key");
    client->set_ca_cert_path((Pki() + "/ca.pem").c_str());
    client->enable_server_certificate_verification(true);
    client->set_connection_timeout(5s);
    client->set_read_timeout(5s);
    client->set_basic_auth(kBasicUser, password.c_str());
    auto result = client->Post("/api/connectors/check-approval", kJohn, "application/json");
    if (!result) return -1;
    last_body_ = result->body;
    return result->status;
  }

  // `openssl s_client` exit code for a handshake with these extra options.
  int Handshake(const std::string& options) {
    return RunCommand(
               {"/bin/bash", "-c",
                "echo | openssl s_client -connect 127.0.0.1:" + std::to_string(gateway_port_) +
                    " -CAfile " + Pki() + "/ca.pem -cert " + Pki() + "/client.pem -key " + Pki() +
                    "/client.key " + options + " >/dev/null 2>&1"},
               {})
        .exit_code;
  }

  std::string last_body_;
};

TEST_F(HttpsGatewayTest, OnlyCallersWithACertificateFromTheCaGetThrough) {
  EXPECT_EQ(Post("client"), 200) << last_body_;
  EXPECT_EQ(json::parse(last_body_)["action"], "Continue");
  EXPECT_EQ(Post(""), -1);                  // no certificate: the handshake fails
  EXPECT_EQ(Post("other"), -1);             // a stranger's certificate: the handshake fails
  EXPECT_EQ(Post("client", "wrong"), 401);  // Basic is still required alongside it
}

TEST_F(HttpsGatewayTest, SpeaksTls12WithEcdheSuitesOnly) {
  EXPECT_EQ(Handshake("-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256"),
            0);
  EXPECT_EQ(Handshake("-tls1_3"), 0);
  EXPECT_NE(Handshake("-tls1_1"), 0);
  EXPECT_NE(Handshake("-tls1_2 -cipher AES128-GCM-SHA256"), 0);  // no forward secrecy
}

class ProxiedCertificateTest : public StackTest {
 protected:
  std::vector<std::string> ExtraGatewayArgs() override {
    return {"--client-ca", Pki() + "/ca.pem", "--trusted-proxies", "127.0.0.1"};
  }
  int Post(const std::string& forwarded_cert) {
    httplib::Client client = Http();
    client.set_basic_auth(kBasicUser, kBasicPassword);
    httplib::Headers headers;
    if (!forwarded_cert.empty()) headers.emplace("X-ARR-ClientCert", forwarded_cert);
    auto result = client.Post("/api/connectors/check-approval", headers, kJohn, "application/json");
    return result ? result->status : -1;
  }
};

TEST_F(ProxiedCertificateTest, TheForwardedCertificateMustChainToTheCa) {
  EXPECT_EQ(Post(Slurp(Pki() + "/client.der.b64")), 200);
  EXPECT_EQ(Post(""), 401);
  EXPECT_EQ(Post(Slurp(Pki() + "/other.der.b64")), 401);
  EXPECT_EQ(Post("not base64 at all"), 401);
  // From our CA, but made for servers: a certificate must carry the clientAuth purpose.
  EXPECT_EQ(Post(Slurp(Pki() + "/serveronly.der.b64")), 401);
}

class UntrustedProxyTest : public ProxiedCertificateTest {
 protected:
  std::vector<std::string> ExtraGatewayArgs() override {
    // The real proxy is elsewhere: a header arriving from 127.0.0.1 is not believed.
    return {"--client-ca", Pki() + "/ca.pem", "--trusted-proxies", "192.0.2.10"};
  }
};

TEST_F(UntrustedProxyTest, AHeaderFromAnyoneElseIsIgnored) {
  EXPECT_EQ(Post(Slurp(Pki() + "/client.der.b64")), 401);
}

class PinnedThumbprintTest : public ProxiedCertificateTest {
 protected:
  std::vector<std::string> ExtraGatewayArgs() override {
    // A rollover: the old (made-up) and the new thumbprint are both listed; no CA at all.
    // The expired and the server-purpose certificates are pinned too, and still refused.
    return {"--client-thumbprints",
            std::string(64, 'a') + "," + Slurp(Pki() + "/client.sha256") + "," +
                Slurp(Pki() + "/expired.sha256") + "," + Slurp(Pki() + "/serveronly.sha256"),
            "--trusted-proxies", "127.0.0.1"};
  }
};

TEST_F(PinnedThumbprintTest, OnlyPinnedCertificatesGetThrough) {
  EXPECT_EQ(Post(Slurp(Pki() + "/client.der.b64")), 200);
  EXPECT_EQ(Post(Slurp(Pki() + "/other.der.b64")), 401);
  // Pinned is not forever: an expired certificate, or one not for clients, is refused.
  EXPECT_EQ(Post(Slurp(Pki() + "/expired.der.b64")), 401);
  EXPECT_EQ(Post(Slurp(Pki() + "/serveronly.der.b64")), 401);
}

class RotatedPasswordTest : public StackTest {
 protected:
  Env ExtraGatewayEnv() override {
    const std::string path = dir_ + "/basic-credentials";
    std::ofstream(path)
        << "# old and new, during a rotation\nazure-b2c:old:pass\nazure-b2c:new:pass\n";
    return {{"GATEHOUSE_BASIC_CREDENTIALS_FILE", path}};
  }
  int Post(const std::string& password) {
    httplib::Client client = Http();
    client.set_basic_auth(kBasicUser, password.c_str());
    auto result = client.Post("/api/connectors/check-approval", kJohn, "application/json");
    return result ? result->status : -1;
  }
};

TEST_F(RotatedPasswordTest, EveryConfiguredCredentialIsAccepted) {
  EXPECT_EQ(Post("old:pass"), 200);
  EXPECT_EQ(Post("new:pass"), 200);
  EXPECT_EQ(Post(kBasicPassword), 200);  // the environment's pair still counts
  EXPECT_EQ(Post("new:pas"), 401);
}

// A secret set but empty is a mistake, never "no secret": the gateway refuses to start and
// names the variable (and never prints a secret).
TEST(GatewaySecretsTest, AnEmptySecretStopsStartUpNamingItsVariable) {
  const std::vector<std::string> argv = {kBin + "/connector-gateway", "--listen", "127.0.0.1:0",
                                         "--core", "127.0.0.1:1"};
  const Env good = {{"GATEHOUSE_CORE_TOKEN", "t0ken-value"},
                    {"GATEHOUSE_BASIC_USERNAME", "azure"},
                    {"GATEHOUSE_BASIC_PASSWORD", "pa55word"}};
  for (const char* variable :
       {"GATEHOUSE_CORE_TOKEN", "GATEHOUSE_BASIC_USERNAME", "GATEHOUSE_BASIC_PASSWORD"}) {
    Env env = good;
    env[variable] = "";
    RunResult run = RunCommand(argv, env, 10s);
    EXPECT_EQ(run.exit_code, 2) << variable << ": " << run.err;
    EXPECT_NE(run.err.find(std::string(variable) + " is set but empty"), std::string::npos)
        << run.err;
    EXPECT_EQ(run.err.find("pa55word"), std::string::npos);
  }
  Env file_env = good;
  file_env.erase("GATEHOUSE_CORE_TOKEN");
  file_env["GATEHOUSE_CORE_TOKEN_FILE"] = "/dev/null";
  RunResult run = RunCommand(argv, file_env, 10s);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("the GATEHOUSE_CORE_TOKEN_FILE file is empty"), std::string::npos)
      << run.err;
}

// Tokens must not cross a network in clear: approval-core refuses plaintext gRPC on an
// address other machines can reach, before it opens the database or binds anything.
TEST(CoreListenerTest, PlaintextOnANonLoopbackAddressIsRefused) {
  char pattern[] = "/tmp/gatehouse-plain-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  for (const char* listen : {"0.0.0.0:0", "[::]:0", "192.0.2.1:0"}) {
    RunResult run = RunCommand(
        {kBin + "/approval-core", "--listen", listen, "--db", dir + "/gatehouse.db"}, {}, 10s);
    EXPECT_EQ(run.exit_code, 2) << listen << ": " << run.err;
    EXPECT_NE(run.err.find("refusing to serve plaintext gRPC"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("--allow-insecure-plaintext"), std::string::npos) << run.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/gatehouse.db"));
  std::filesystem::remove_all(dir);
}

class SlowClientTest : public StackTest {
 protected:
  std::vector<std::string> ExtraGatewayArgs() override {
    return {"--http-timeout-s", "1", "--http-request-timeout-s", "1"};
  }
};

TEST_F(SlowClientTest, AClientThatStopsMidRequestIsCutOff) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(gateway_port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string partial = "POST /api/connectors/check-approval HTTP/1.1\r\nHost: x\r\n";
  ASSERT_EQ(send(fd, partial.data(), partial.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(partial.size()));
  timeval wait{.tv_sec = 10, .tv_usec = 0};  // bound the test, far above the 1 s timeout
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  const auto start = std::chrono::steady_clock::now();
  std::string answer;  // at most an error response, then the connection is closed
  char buffer[512];
  ssize_t got;
  while ((got = recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, got);
  const auto waited = std::chrono::steady_clock::now() - start;
  close(fd);
  EXPECT_EQ(got, 0) << "the connection was not closed";
  EXPECT_LT(waited, 5s);
  if (!answer.empty()) {
    EXPECT_EQ(answer.rfind("HTTP/1.1 4", 0), 0u) << answer;
  }
  // The gateway is still serving everyone else.
  ExpectContinue(Hook("check-approval", kJohn));
}

// Azure's front ends keep connections open between calls. On cpp-httplib each open connection
// held an HTTP worker until it had been idle for --http-timeout-s, and a caller beyond the
// workers waited for one of them to time out, far past Entra's 1 s deadline. Idle connections
// now wait in epoll and hold no worker; more of them than workers (64) must not matter.
TEST_F(StackTest, ManyOpenKeepAliveConnectionsDoNotHoldUpAnotherCaller) {
  std::vector<std::unique_ptr<httplib::Client>> open;
  for (int i = 0; i < 96; ++i) {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", gateway_port_);
    client->set_keep_alive(true);
    client->set_read_timeout(5s);
    client->set_basic_auth(kBasicUser, kBasicPassword);
    const auto start = std::chrono::steady_clock::now();
    auto result = client->Post("/api/connectors/check-approval", kJohn, "application/json");
    ASSERT_TRUE(result) << "connection " << i << ": " << httplib::to_string(result.error());
    EXPECT_EQ(result->status, 200);
    ASSERT_LT(std::chrono::steady_clock::now() - start, 1s) << "connection " << i;
    open.push_back(std::move(client));  // stays open, idle
  }
  const auto start = std::chrono::steady_clock::now();
  ExpectContinue(Hook("check-approval", kJohn));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

}  // namespace
}  // namespace gatehouse::testing
