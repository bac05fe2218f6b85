// The gateway is the only part on the internet: raw sockets against the real binary show what
// a hostile client can make it buffer (its memory, from /proc), answer (answers counted on the
// wire) and wait for (real sign-ups timed beside idle and trickling connections).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

// "Authorization: Basic base64(azure-b2c:s3cret:with:colons)"
std::string BasicHeader() {
  const std::string plain = std::string(kBasicUser) + ":" + kBasicPassword;
  std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                     reinterpret_cast<const unsigned char*>(plain.data()),
                                     static_cast<int>(plain.size()));
  encoded.resize(static_cast<size_t>(length));
  return "Authorization: Basic " + encoded + "\r\n";
}

// One TCP connection to the gateway, used byte by byte.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{.sin_family = AF_INET, .sin_port = htons(static_cast<uint16_t>(port))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    timeval wait{.tv_sec = 3, .tv_usec = 0};  // a send the server no longer takes gives up
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof wait);
  }
  ~RawClient() { close(fd_); }
  bool connected() const { return connected_; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
  }

  // Everything the server sends until it closes (true) or `timeout` passes (false).
  bool ReadUntilClosed(std::string* out, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      timeval wait{.tv_sec = 0, .tv_usec = 100'000};
      setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
      const ssize_t got = recv(fd_, buffer, sizeof buffer, 0);
      if (got == 0) return true;
      if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return true;  // reset: closed
      if (got > 0) out->append(buffer, static_cast<size_t>(got));
    }
    return false;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// A line of /proc/PID/status in kB, e.g. "VmRSS" or "VmHWM".
long StatusKb(pid_t pid, const std::string& key) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key + ":", 0) == 0) return std::stol(line.substr(key.size() + 1));
  }
  return -1;
}

// How many HTTP answers `wire` holds.
int Answers(const std::string& wire) {
  int count = 0;
  for (size_t at = wire.find("HTTP/1.1 "); at != std::string::npos;
       at = wire.find("HTTP/1.1 ", at + 1)) {
    if (at == 0 || wire[at - 1] == '\n' || wire[at - 1] == '}') ++count;  // after a body
  }
  return count;
}

int StatusOf(const std::string& wire) {
  return wire.size() > 12 && wire.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(wire.substr(9, 3)) : 0;
}

constexpr const char* kJsonType = "Content-Type: application/json\r\n";

TEST_F(StackTest, BodiesAreBoundedWhileTheyAreReadWhateverTheirFraming) {
  struct Case {
    std::string what;
    std::string head;
    bool chunked;
    int status;
  };
  const std::string hook = "POST /api/connectors/request-approval HTTP/1.1\r\nHost: x\r\n";
  const std::vector<Case> cases = {
      {"chunked, unknown path, no credentials", "POST /x HTTP/1.1\r\nHost: x\r\n"
                                                "Transfer-Encoding: chunked\r\n\r\n",
       true, 404},
      {"chunked to a hook, no credentials", hook + "Transfer-Encoding: chunked\r\n\r\n", true, 401},
      {"chunked to a hook, authenticated",
       hook + BasicHeader() + kJsonType + "Transfer-Encoding: chunked\r\n\r\n", true, 413},
      {"100 MiB announced, authenticated",
       hook + BasicHeader() + kJsonType + "Content-Length: 104857600\r\n\r\n", false, 413},
      {"gzip, authenticated",
       hook + BasicHeader() + kJsonType + "Content-Encoding: gzip\r\nContent-Length: 60000\r\n\r\n",
       false, 415},
  };
  const std::string chunk = std::string(64 * 1024, 'a');
  const std::string framed_chunk = "10000\r\n" + chunk + "\r\n";
  for (const Case& c : cases) {
    const long before = StatusKb(gateway_->pid(), "VmRSS");
    RawClient client(gateway_port_);
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(client.Send(c.head)) << c.what;
    size_t sent = 0;  // up to 100 MiB, for as long as the gateway takes it
    while (sent < 100u * 1024 * 1024 && client.Send(c.chunked ? framed_chunk : chunk)) {
      sent += chunk.size();
    }
    std::string wire;
    EXPECT_TRUE(client.ReadUntilClosed(&wire, 10s)) << c.what << ": not closed";
    const long after = StatusKb(gateway_->pid(), "VmRSS");
    EXPECT_EQ(StatusOf(wire), c.status) << c.what << ": " << wire;
    EXPECT_EQ(Answers(wire), 1) << c.what << ": " << wire;
    EXPECT_LT(sent, 16u * 1024 * 1024) << c.what << ": the gateway kept reading";
    EXPECT_LT(after - before, 8 * 1024) << c.what << ": RSS " << before << " kB -> " << after;
    std::printf("[ figures  ] %s: HTTP %d after %zu KiB sent; gateway RSS %ld -> %ld kB\n",
                c.what.c_str(), StatusOf(wire), sent / 1024, before, after);
  }
  // Still serving.
  ExpectContinue(Hook("check-approval", kJohn));
}

// An early answer never leaves the body on the connection to be read as the next request:
// a proxy reusing the connection would hand that answer to someone else.
TEST_F(StackTest, EveryEarlyAnswerIsTheOnlyAnswerOnItsConnection) {
  const std::string hidden = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string length = "Content-Length: " + std::to_string(hidden.size()) + "\r\n";
  const std::string hook = "/api/connectors/request-approval";
  const std::vector<std::pair<std::string, int>> heads = {
      {"POST " + hook + " HTTP/1.1\r\nHost: x\r\n" + kJsonType + length + "\r\n", 401},
      {"POST /x HTTP/1.1\r\nHost: x\r\n" + length + "\r\n", 404},
      {"GET " + hook + " HTTP/1.1\r\nHost: x\r\n" + BasicHeader() + length + "\r\n", 405},
      {"POST " + hook + " HTTP/1.1\r\nHost: x\r\n" + BasicHeader() +
           "Content-Type: text/plain\r\n" + length + "\r\n",
       415},
      {"POST " + hook + " HTTP/1.1\r\nHost: x\r\n" + BasicHeader() + kJsonType +
           "Content-Length: 70000\r\n\r\n",
       413},
  };
  for (const auto& [head, status] : heads) {
    RawClient client(gateway_port_);
    ASSERT_TRUE(client.Send(head));
    std::this_thread::sleep_for(100ms);  // the body arrives a moment after the head
    client.Send(hidden);
    std::string wire;
    EXPECT_TRUE(client.ReadUntilClosed(&wire, 5s)) << head;
    EXPECT_EQ(StatusOf(wire), status) << wire;
    EXPECT_EQ(Answers(wire), 1) << wire;
    EXPECT_NE(wire.find("Connection: close"), std::string::npos) << wire;
  }
  // Keep-alive still works where no body was announced: two answers on one connection.
  RawClient keep_alive(gateway_port_);
  ASSERT_TRUE(keep_alive.Send(hidden + hidden + "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"));
  std::string wire;
  EXPECT_TRUE(keep_alive.ReadUntilClosed(&wire, 5s));
  EXPECT_EQ(Answers(wire), 3) << wire;
}

// 300 idle connections and clients trickling a header line a second delay no real sign-up past
// 1.5 s, and each trickling client is closed within 30 s (its head has 10 s in all).
TEST_F(StackTest, SlowAndIdleClientsDelayNoSignUp) {
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 300; ++i) {
    idle.push_back(std::make_unique<RawClient>(gateway_port_));
    ASSERT_TRUE(idle.back()->connected()) << i;
  }
  constexpr int kTricklers = 20;
  std::atomic<int> closed_in_time{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> tricklers;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kTricklers; ++i) {
    tricklers.emplace_back([&, i] {
      RawClient client(gateway_port_);
      if (!client.Send("POST /api/connectors/check-approval HTTP/1.1\r\n")) return;
      for (int line = 0; !stop && std::chrono::steady_clock::now() - started < 30s; ++line) {
        std::this_thread::sleep_for(1s);
        if (!client.Send("X-Line-" + std::to_string(line) + ": " + std::to_string(i) + "\r\n")) {
          ++closed_in_time;  // the gateway closed it (send fails once it is gone)
          return;
        }
      }
    });
  }
  std::this_thread::sleep_for(1500ms);  // everyone is connected and trickling
  std::chrono::milliseconds slowest{0};
  for (int i = 0; i < 40; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ExpectBlock(Hook("request-approval",
                     R"({"email":"applicant)" + std::to_string(i) + R"(@example.com"})"),
                "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
    slowest = std::max(slowest, std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - start));
    std::this_thread::sleep_for(150ms);
  }
  EXPECT_LT(slowest, 1500ms);
  for (std::thread& trickler : tricklers) trickler.join();
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(closed_in_time, kTricklers);
  EXPECT_LT(took, 30s);
  std::printf("[ figures  ] slowest of 40 sign-ups beside 300 idle and %d trickling: %lld ms; "
              "tricklers closed after %lld ms\n",
              kTricklers, static_cast<long long>(slowest.count()),
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

}  // namespace
}  // namespace gatehouse::testing
