// Faults under load against the real binaries: approval-core restarted while the gateway is
// busy, slow to shake hands, and the database's file system full or read-only. Gatehouse must
// only ever answer with decisions it has, fail closed otherwise, say why in its log, and
// recover on its own.
#include <netinet/in.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

// Answers seen by concurrent callers, by "code" (or "Continue").
class AnswerTally {
 public:
  void Add(const HookReply& reply) {
    std::lock_guard lock(mutex_);
    const std::string action = reply.body.value("action", "");
    ++counts_[action == "Continue"
                  ? "Continue"
                  : reply.body.value("code", "status " + std::to_string(reply.status))];
  }
  std::map<std::string, int> counts() {
    std::lock_guard lock(mutex_);
    return counts_;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, int> counts_;
};

using FaultTest = StackTest;

TEST_F(FaultTest, CoreRestartUnderLoadOnlyEverBlocksThoseWithoutAnApproval) {
  // A denied applicant, who must never get through, whatever happens to the core.
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ASSERT_EQ(Reviewer({"deny", PendingId("mary@contoso.com"), "--reason", "no"}, reviewer_token_)
                .exit_code,
            0);
  std::atomic<bool> running{true};
  AnswerTally denied_checks, new_applicants;
  std::vector<std::thread> callers;
  for (int caller = 0; caller < 4; ++caller) {
    callers.emplace_back([&, caller] {
      for (int n = 0; running; ++n) {
        denied_checks.Add(Hook("check-approval", kMary));
        const std::string email =
            "restart-" + std::to_string(caller) + "-" + std::to_string(n) + "@example.com";
        new_applicants.Add(Hook("request-approval", json{{"email", email}}.dump()));
      }
    });
  }
  std::this_thread::sleep_for(300ms);
  core_->Stop(SIGKILL);
  std::this_thread::sleep_for(300ms);  // the gateway answers alone meanwhile
  StartCore(CoreAddress());
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (new_applicants.counts()["GATEHOUSE-APPROVAL-REQUESTED"] < 20 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  std::this_thread::sleep_for(300ms);
  running = false;
  for (auto& caller : callers) caller.join();

  auto checks = denied_checks.counts();
  auto requests = new_applicants.counts();
  EXPECT_EQ(checks.count("Continue"), 0u) << "a denied applicant got through";
  EXPECT_EQ(requests.count("Continue"), 0u) << "a new applicant got through unreviewed";
  EXPECT_GT(checks["GATEHOUSE-UNAVAILABLE"], 0) << "the outage was not seen";
  EXPECT_GT(checks["GATEHOUSE-APPROVAL-DENIED"], 0);
  EXPECT_GE(requests["GATEHOUSE-APPROVAL-REQUESTED"], 20) << "no recovery after the restart";
  for (const auto& [code, count] : checks) {
    EXPECT_TRUE(code == "GATEHOUSE-UNAVAILABLE" || code == "GATEHOUSE-APPROVAL-DENIED") << code;
  }
  for (const auto& [code, count] : requests) {
    EXPECT_TRUE(code == "GATEHOUSE-UNAVAILABLE" || code == "GATEHOUSE-APPROVAL-REQUESTED") << code;
  }
  std::cerr << "denied applicant's checks: " << json(checks).dump()
            << "\nnew applicants: " << json(requests).dump() << "\n";
}

// Relays TCP connections on loopback to `upstream_port`, holding back the upstream's first
// bytes on each connection for `delay`: a core behind a slow link, or a busy one, as the
// gateway sees it while it connects.
class SlowStartProxy {
 public:
  SlowStartProxy(int upstream_port, std::chrono::milliseconds delay)
      : upstream_port_(upstream_port), delay_(delay) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = Loopback(0);
    socklen_t length = sizeof address;
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(listener_, 16) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "the proxy cannot listen";
      return;
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~SlowStartProxy() {
    stopping_ = true;
    if (acceptor_.joinable()) acceptor_.join();
    for (int fd : sockets_) shutdown(fd, SHUT_RDWR);  // ends both relays of each connection
    for (std::thread& relay : relays_) relay.join();
    close(listener_);
    for (int fd : sockets_) close(fd);
  }
  int port() const { return port_; }

 private:
  static sockaddr_in Loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
  }

  void Accept() {
    while (!stopping_) {
      pollfd ready{listener_, POLLIN, 0};
      if (poll(&ready, 1, 50) <= 0) continue;
      const int client = accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      const int upstream = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address = Loopback(upstream_port_);
      if (connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(client);
        close(upstream);
        continue;
      }
      sockets_.push_back(client);
      sockets_.push_back(upstream);
      relays_.emplace_back([client, upstream] { Relay(client, upstream); });
      relays_.emplace_back([this, client, upstream] {
        std::this_thread::sleep_for(delay_);
        Relay(upstream, client);
      });
    }
  }

  // Copies `from` to `to` until either end closes.
  static void Relay(int from, int to) {
    char buffer[16384];
    ssize_t got;
    while ((got = recv(from, buffer, sizeof buffer, 0)) > 0) {
      if (send(to, buffer, static_cast<size_t>(got), MSG_NOSIGNAL) != got) break;
    }
    shutdown(to, SHUT_WR);
  }

  const int upstream_port_;
  const std::chrono::milliseconds delay_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  // Written by the acceptor only, read once it has been joined.
  std::vector<int> sockets_;
  std::vector<std::thread> relays_;  // two a connection
};

// Each attempt to connect to the core gets a second, as gRPC's backoff parameters were meant to
// give: a core whose handshake (TCP, TLS, HTTP/2) took more than 100 ms used to fail every
// attempt for over a second, and each applicant meanwhile got the fail-closed block.
TEST_F(FaultTest, AGatewayReachesACoreWhoseHandshakeTakesAWhile) {
  SlowStartProxy proxy(core_port_, std::chrono::milliseconds(700));
  StartGateway("127.0.0.1:" + std::to_string(proxy.port()), 2000, "gateway-slow-core.log");
  ASSERT_FALSE(HasFatalFailure());
  ExpectContinue(Hook("check-approval", kJohn));
}

// The database on a small tmpfs of its own, which the tests fill up or make read-only.
class FullDiskTest : public StackTest {
 protected:
  void PrepareDataDirectory() override {
    data_ = dir_ + "/data";
    if (mount("tmpfs", data_.c_str(), "tmpfs", 0, "size=4m,mode=0700") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                   << "): the full-disk tests need root and mount permission";
    }
    mounted_ = true;
  }
  void CleanUpDataDirectory() override {
    if (mounted_) umount2(data_.c_str(), MNT_DETACH);
  }

  // Fills the file system to the last byte.
  void FillDisk() {
    std::ofstream filler(data_ + "/filler", std::ios::binary);
    const std::string block(64 * 1024, 'x');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
    std::ofstream tail(data_ + "/filler-tail", std::ios::binary);
    while (tail.put('x')) {
    }
  }
  void FreeDisk() {
    std::filesystem::remove(data_ + "/filler");
    std::filesystem::remove(data_ + "/filler-tail");
  }

  int Readyz() { return Http().Get("/readyz")->status; }

  // Hook 2 until it records again (the core's health check runs every 2 s).
  HookReply RequestUntilRecorded(const std::string& body) {
    HookReply reply;
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    do {
      reply = Hook("request-approval", body);
    } while (reply.body.value("code", "") == "GATEHOUSE-UNAVAILABLE" &&
             std::chrono::steady_clock::now() < deadline &&
             (std::this_thread::sleep_for(100ms), true));
    return reply;
  }

  std::string data_;
  bool mounted_ = false;
};

TEST_F(FullDiskTest, AFullDiskFailsClosedWithAClearErrorAndRecoversWhenFreed) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ASSERT_EQ(Reviewer({"approve", PendingId("john.smith@fabrikam.com")}, reviewer_token_).exit_code,
            0);
  FillDisk();
  // A new applicant cannot be recorded: the fail-closed page, never Continue.
  for (int i = 0; i < 5; ++i) {
    HookReply reply =
        Hook("request-approval", json{{"email", "full-" + std::to_string(i) + "@x.com"}}.dump());
    ExpectBlock(reply, "GATEHOUSE-UNAVAILABLE", "try again");
  }
  EXPECT_TRUE(core_->WaitForLog("(call failed: UNAVAILABLE: .*database or disk is full)", 5s))
      << core_->Log();
  EXPECT_TRUE(core_->WaitForLog("(health NOT_SERVING: UNAVAILABLE: the disk of .* is full)", 5s))
      << core_->Log();
  EXPECT_EQ(Readyz(), 503);
  // Decisions already on disk are still answered: the approved applicant gets through.
  EXPECT_EQ(Hook("check-approval", kJohn).body.value("action", ""), "Continue");

  FreeDisk();
  ExpectBlock(RequestUntilRecorded(R"({"email":"after@x.com"})"), "GATEHOUSE-APPROVAL-REQUESTED",
              "waiting");
  EXPECT_TRUE(core_->WaitForLog("NOT_SERVING[^]*(database writable: health SERVING)", 5s))
      << core_->Log();
  EXPECT_EQ(Readyz(), 200);
  // Nothing half-written: the database checks clean and holds exactly the recorded requests.
  RunResult check = RunCommand({kBin + "/approval-core", "check", "--db", db_}, {});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(AllRequests().size(), 2u);
}

TEST_F(FullDiskTest, AnUnwritableDatabaseStopsTheStartWithAClearErrorAndFailsClosed) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  core_->Stop(SIGTERM);
  // Linux refuses to make a file system read-only while a file on it is open for writing, so
  // the unwritable case is met at start-up, the way a bad mount or volume shows up.
  ASSERT_EQ(mount(nullptr, data_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, "size=4m"), 0)
      << std::strerror(errno);
  RunResult refused =
      RunCommand({kBin + "/approval-core", "--listen", CoreAddress(), "--db", db_}, {}, 10s);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("cannot open database " + db_), std::string::npos) << refused.err;
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-UNAVAILABLE", "try again");
  EXPECT_EQ(Readyz(), 503);

  ASSERT_EQ(mount(nullptr, data_.c_str(), nullptr, MS_REMOUNT, "size=4m"), 0)
      << std::strerror(errno);
  StartCore(CoreAddress());
  ExpectBlock(HookOnceCoreIsBack("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED",
              "waiting");
  ExpectBlock(Hook("check-approval", kJohn), "GATEHOUSE-APPROVAL-PENDING", "already processing");
  EXPECT_EQ(Readyz(), 200);
  EXPECT_EQ(AllRequests().size(), 2u);
}

}  // namespace
}  // namespace gatehouse::testing
