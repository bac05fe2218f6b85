#pragma once

// A whole Gatehouse on loopback for end-to-end tests: the three real binaries, a real
// database file in a temporary directory, talked to over sockets exactly as Azure, a reviewer
// and an operator would.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "process.h"

namespace gatehouse::testing {

using nlohmann::json;
using namespace std::chrono_literals;

inline const std::string kBin = GATEHOUSE_BIN_DIR;
inline const std::string kReadyPattern = R"(ready on 127\.0\.0\.1:(\d+))";
constexpr const char* kBasicUser = "azure-b2c";
constexpr const char* kBasicPassword = "s3cret:with:colons";
constexpr int kCoreDeadlineMs = 500;

inline const char* kJohn = R"({
  "email": "John.Smith@Fabrikam.com",
  "identities": [{"signInType": "federated", "issuer": "facebook.com", "issuerAssignedId": "0123456789"}],
  "displayName": "John Smith", "givenName": "John", "surname": "Smith",
  "extension_abc_CustomAttribute1": "custom attribute value",
  "ui_locales": "en-US"
})";
inline const char* kMary = R"({"email": "mary@contoso.com", "displayName": "Mary Major"})";

struct HookReply {
  int status = 0;
  json body;
};

class StackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signal(SIGPIPE, SIG_IGN);  // a server hanging up on a TLS client must not kill the test
    char pattern[] = "/tmp/gatehouse-it-XXXXXX";
    dir_ = mkdtemp(pattern);
    db_ = dir_ + "/data/gatehouse.db";
    std::filesystem::create_directories(dir_ + "/data");
    PrepareDataDirectory();
    if (IsSkipped()) return;
    connector_token_ = CreateToken("gateway", "connector");
    reviewer_token_ = CreateToken("alice", "reviewer");
    reader_token_ = CreateToken("helpdesk", "reader");
    StartCore("127.0.0.1:0");
    StartGateway(CoreAddress(), kCoreDeadlineMs, "gateway.log");
  }

  // (Re)starts the gateway against the core at `core_address`, logging to `log` in dir_.
  void StartGateway(const std::string& core_address, int core_deadline_ms, const std::string& log) {
    gateway_.reset();
    std::vector<std::string> gateway_argv{kBin + "/connector-gateway", "--listen", "127.0.0.1:0",
                                          "--core", core_address, "--core-deadline-ms",
                                          std::to_string(core_deadline_ms),
                                          // Kept answers reach a reviewer's change within the
                                          // change notice's delay; the tests of the model want
                                          // every sign-in decided by the core at once.
                                          "--decision-cache-ms", std::to_string(DecisionCacheMs())};
    for (std::string& arg : ExtraGatewayArgs()) gateway_argv.push_back(std::move(arg));
    Env gateway_env{{"GATEHOUSE_CORE_TOKEN", connector_token_},
                    {"GATEHOUSE_BASIC_USERNAME", kBasicUser},
                    {"GATEHOUSE_BASIC_PASSWORD", kBasicPassword}};
    for (auto& [key, value] : ExtraGatewayEnv()) gateway_env[key] = value;
    gateway_ = std::make_unique<ChildProcess>(gateway_argv, gateway_env, dir_ + "/" + log);
    auto port = gateway_->WaitForLog(kReadyPattern, 10s);
    ASSERT_TRUE(port) << gateway_->Log();
    gateway_port_ = std::stoi(*port);
  }

  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "--- core log ---\n"
                << (core_ ? core_->Log() : "") << "--- gateway log ---\n"
                << (gateway_ ? gateway_->Log() : "");
    }
    gateway_.reset();
    core_.reset();
    CleanUpDataDirectory();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string CreateToken(const std::string& name, const std::string& role) {
    RunResult r = RunCommand(
        {kBin + "/approval-core", "token", "create", "--db", db_, "--name", name, "--role", role},
        {});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
  }

  // `approval-core token revoke`, as an operator would run it beside the running core.
  RunResult RevokeToken(const std::string& name) {
    return RunCommand({kBin + "/approval-core", "token", "revoke", "--db", db_, name}, {});
  }

  void StartCore(const std::string& listen) {
    std::vector<std::string> argv{kBin + "/approval-core", "--listen", listen, "--db", db_};
    for (std::string& arg : ExtraCoreArgs()) argv.push_back(std::move(arg));
    core_ = std::make_unique<ChildProcess>(
        argv, Env{}, dir_ + "/core-" + std::to_string(++core_starts_) + ".log");
    auto port = core_->WaitForLog(kReadyPattern, 10s);
    ASSERT_TRUE(port) << core_->Log();
    core_port_ = std::stoi(*port);
  }

  // A throw-away CA with a server certificate for 127.0.0.1, a client certificate and a
  // stranger's self-signed one, made with the openssl command once per test.
  const std::string& Pki() {
    if (pki_.empty()) {
      pki_ = dir_ + "/pki";
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
printf 'extendedKeyUsage=clientAuth\n' > client.ext
printf 'extendedKeyUsage=serverAuth\n' > serveronly.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem \
  -days 2 -extfile client.ext 2>/dev/null
# From our CA, but not for client authentication (no clientAuth purpose).
key serveronly.key && openssl req -new -key serveronly.key -out serveronly.csr -subj "/CN=serveronly"
openssl x509 -req -in serveronly.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out serveronly.pem \
  -days 2 -extfile serveronly.ext 2>/dev/null
# Signed by nobody we trust.
openssl req -x509 -key other.key -out other.pem -days 2 -subj "/CN=stranger" \
  -addext extendedKeyUsage=clientAuth
# Self-signed for client authentication, but expired in 2020 (for pinning).
key expired.key && openssl req -new -key expired.key -out expired.csr -subj "/CN=expired"
touch index.txt && echo 01 > serial
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n[client]\nextendedKeyUsage=clientAuth\n' > ca.cnf
openssl ca -batch -config ca.cnf -selfsign -keyfile expired.key -in expired.csr -out expired.pem \
  -startdate 20200101000000Z -enddate 20200102000000Z -extensions client 2>/dev/null
# As Azure App Service forwards them (X-ARR-ClientCert), and their SHA-256 thumbprints.
for who in client other serveronly expired; do
  openssl x509 -in $who.pem -outform DER | base64 -w0 > $who.der.b64
  openssl x509 -in $who.pem -noout -fingerprint -sha256 | cut -d= -f2 > $who.sha256
done
)";
      RunResult made = RunCommand({"/bin/bash", "-c", script, "pki", pki_}, {});
      EXPECT_EQ(made.exit_code, 0) << made.err;
    }
    return pki_;
  }

  // Called once the empty data directory exists, before the database is created (e.g. to
  // mount a small file system there).
  virtual void PrepareDataDirectory() {}
  virtual void CleanUpDataDirectory() {}

  // Whether the gateway keeps hook 1 answers between change notices, as deployed.
  virtual bool KeepHook1Answers() const { return false; }
  virtual int DecisionCacheMs() const { return KeepHook1Answers() ? 5000 : 0; }
  // More arguments, for fixtures that configure the programs (called at each start).
  virtual std::vector<std::string> ExtraCoreArgs() { return {}; }
  virtual std::vector<std::string> ExtraGatewayArgs() { return {}; }
  virtual std::vector<std::string> ExtraReviewerArgs() { return {}; }
  virtual Env ExtraGatewayEnv() { return {}; }

  std::string CoreAddress() const { return "127.0.0.1:" + std::to_string(core_port_); }

  httplib::Client Http() const {
    httplib::Client client("127.0.0.1", gateway_port_);
    client.set_connection_timeout(5s);
    client.set_read_timeout(5s);
    return client;
  }

  HookReply Hook(const std::string& route, const std::string& body) {
    httplib::Client client = Http();
    client.set_basic_auth(kBasicUser, kBasicPassword);
    auto result = client.Post("/api/connectors/" + route, body, "application/json");
    if (!result) {
      ADD_FAILURE() << "no HTTP answer from the gateway: " << httplib::to_string(result.error());
      return {0, json::object()};
    }
    json parsed = json::parse(result->body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    return {result->status, parsed};
  }

  // A hook call right after a core restart: the gateway's channel reconnects on its own, so
  // retry (bounded) while it still answers the fail-closed block.
  HookReply HookOnceCoreIsBack(const std::string& route, const std::string& body) {
    HookReply reply;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
      reply = Hook(route, body);
    } while (reply.body.value("code", "") == "GATEHOUSE-UNAVAILABLE" &&
             std::chrono::steady_clock::now() < deadline);
    return reply;
  }

  static void ExpectContinue(const HookReply& reply) {
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, (json{{"version", "1.0.0"}, {"action", "Continue"}}));
  }

  static void ExpectBlock(const HookReply& reply, const std::string& code,
                          const std::string& text_part) {
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body.value("version", ""), "1.0.0");
    EXPECT_EQ(reply.body.value("action", ""), "ShowBlockPage");
    EXPECT_EQ(reply.body.value("code", ""), code);
    EXPECT_NE(reply.body.value("userMessage", "").find(text_part), std::string::npos)
        << reply.body.dump();
  }

  RunResult Reviewer(std::vector<std::string> args, const std::string& token) {
    std::vector<std::string> argv = {kBin + "/reviewer", "--server", CoreAddress()};
    for (std::string& arg : ExtraReviewerArgs()) argv.push_back(std::move(arg));
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, ReviewerEnv({{"GATEHOUSE_TOKEN", token}}));
  }

  // The reviewer's environment: `env`, and a config directory of the test's own, so that the
  // developer's ~/.config/gatehouse/reviewer.toml never leaks in.
  Env ReviewerEnv(Env env) const {
    env.emplace("XDG_CONFIG_HOME", dir_ + "/config");
    return env;
  }

  // The id of the only pending request with this email, via `reviewer list -o json`.
  std::string PendingId(const std::string& email) {
    RunResult r = Reviewer({"list", "-o", "json"}, reviewer_token_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json listed = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(listed.is_array()) << r.out;
    std::string id;
    for (const json& item : listed) {
      if (item["email"] == email) {
        EXPECT_TRUE(id.empty()) << "two pending requests for " << email;
        id = item["id"];
      }
    }
    EXPECT_FALSE(id.empty()) << r.out;
    return id;
  }

  // Every stored request, via `reviewer list --state all -o json`.
  json AllRequests() {
    RunResult r =
        Reviewer({"list", "--state", "all", "--limit", "100000", "-o", "json"}, reviewer_token_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json listed = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(listed.is_array()) << r.out;
    return listed.is_array() ? listed : json::array();
  }

  std::string dir_, db_;
  std::string connector_token_, reviewer_token_, reader_token_;
  std::unique_ptr<ChildProcess> core_, gateway_;
  int core_port_ = 0, gateway_port_ = 0;
  int core_starts_ = 0;
  std::string pki_;  // each start logs to its own file, so old ready lines don't count
};

}  // namespace gatehouse::testing
