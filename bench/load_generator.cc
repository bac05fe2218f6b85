// gatehouse-load: an HTTP load generator for the benchmarks. Closed loop by default: keeps
// --connections keep-alive connections and sends each one's next request as soon as its answer
// is in, for --seconds after --warmup-s. Open loop with --rate R: sends R requests a second on a
// fixed schedule, each on a free connection of at most --connections, and times each answer
// from when its request was due, so waiting for a connection counts (no coordinated omission).
// Prints one JSON object: throughput, latency percentiles and the answers seen (action/code),
// so a run can be checked, not just timed.
//
// One thread and epoll, like wrk: it shares two cores with the servers it measures, and a
// thread per connection (the first version, on cpp-httplib's client) cost about 55 µs of CPU
// per request in context switches, a fifth of a whole hook 2 round trip.
//
// The body may contain {n}, replaced by a number unique to each request of the run (distinct
// applicants). Basic credentials come from GATEHOUSE_BENCH_BASIC ("user:password").
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/base64.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string path = "/api/connectors/check-approval";
  std::string body = "{}";
  int connections = 16;
  double seconds = 5;
  double warmup_s = 1;
  double rate = 0;  // requests a second, open loop; 0: closed loop
};

// "action/code" of a connector answer, found without a full parse to keep the generator's own
// CPU use small.
std::string Classify(int status, std::string_view body) {
  auto field = [body](const std::string& name) {
    const std::string key = "\"" + name + "\":\"";
    const size_t at = body.find(key);
    if (at == std::string_view::npos) return std::string();
    const size_t start = at + key.size();
    return std::string(body.substr(start, body.find('"', start) - start));
  };
  std::string label = std::to_string(status) + " " + field("action");
  if (const std::string code = field("code"); !code.empty()) label += "/" + code;
  return label;
}

// A complete HTTP/1.1 response at the start of `buffer`: its status, body and length.
struct Response {
  int status = 0;
  std::string_view body;
  size_t length = 0;   // of the whole response
  bool close = false;  // the server will hang up after it
};

// nullopt while incomplete; throws on what cannot be parsed.
std::optional<Response> ParseResponse(std::string_view buffer) {
  const size_t header_end = buffer.find("\r\n\r\n");
  if (header_end == std::string_view::npos) return std::nullopt;
  std::string head(buffer.substr(0, header_end));
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (head.rfind("http/1.1 ", 0) != 0) throw std::runtime_error("not an HTTP/1.1 response");
  Response response;
  response.status = std::atoi(head.c_str() + 9);
  const size_t length_at = head.find("\r\ncontent-length:");
  if (length_at == std::string::npos) throw std::runtime_error("response without Content-Length");
  const size_t content_length =
      std::strtoul(head.c_str() + length_at + std::strlen("\r\ncontent-length:"), nullptr, 10);
  response.close = head.find("\r\nconnection: close") != std::string::npos;
  response.length = header_end + 4 + content_length;
  if (buffer.size() < response.length) return std::nullopt;
  response.body = buffer.substr(header_end + 4, content_length);
  return response;
}

struct Connection {
  int fd = -1;
  std::string out;  // the request being sent
  size_t written = 0;
  std::string in;          // what has arrived of its answer
  Clock::time_point sent;  // (open loop: when it was due)
  bool busy = false;       // a request is on its way
};

class LoadGenerator {
 public:
  LoadGenerator(const Options& options, std::string authorization)
      : options_(options),
        authorization_(std::move(authorization)),
        run_id_(static_cast<uint64_t>(Clock::now().time_since_epoch().count())) {
    address_.sin_family = AF_INET;
    address_.sin_port = htons(static_cast<uint16_t>(options.port));
    if (inet_pton(AF_INET, options.host.c_str(), &address_.sin_addr) != 1) {
      throw std::runtime_error("--host must be an IPv4 address");
    }
  }

  nlohmann::ordered_json Run() {
    epoll_ = epoll_create1(0);
    const auto start = Clock::now();
    measure_from_ = start + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(options_.warmup_s));
    stop_at_ = measure_from_ + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(options_.seconds));
    connections_.resize(static_cast<size_t>(options_.connections));
    if (open_loop()) StartSchedule(start);
    for (Connection& connection : connections_) Open(connection);
    std::vector<epoll_event> events(connections_.size() + 1);
    // An open loop lets the answers to what was due before the end come in, for up to 2 s.
    while (Clock::now() < stop_at_ ||
           (open_loop() && Busy() > 0 && Clock::now() < stop_at_ + std::chrono::seconds(2))) {
      const int ready = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 100);
      for (int i = 0; i < ready; ++i) {
        if (events[static_cast<size_t>(i)].data.ptr == nullptr) {  // the schedule's timer
          Due();
          continue;
        }
        Connection& connection = *static_cast<Connection*>(events[static_cast<size_t>(i)].data.ptr);
        if (connection.fd < 0) continue;  // failed earlier in this round
        if ((events[static_cast<size_t>(i)].events & (EPOLLERR | EPOLLHUP)) != 0 &&
            (events[static_cast<size_t>(i)].events & EPOLLIN) == 0) {
          Fail(connection);
          continue;
        }
        if ((events[static_cast<size_t>(i)].events & EPOLLOUT) != 0) Write(connection);
        if (connection.fd >= 0 && (events[static_cast<size_t>(i)].events & EPOLLIN) != 0) {
          Read(connection);
        }
      }
      // Failed connections are opened again here, not where they failed: against a server
      // that refuses, reopening from the failure recursed until the stack overflowed. Now a
      // refused connection is retried once per round, at most every 100 ms while all fail.
      std::vector<Connection*> failed;
      failed.swap(failed_);
      for (Connection* connection : failed) Open(*connection);
      Dispatch();
    }
    for (Connection& connection : connections_) {
      if (connection.fd >= 0) close(connection.fd);
    }
    if (timer_ >= 0) close(timer_);
    close(epoll_);
    if (answered_ == 0 && failures_ > 0) {
      throw std::runtime_error("no answer in " + std::to_string(failures_) +
                               " attempts; is anything listening on port " +
                               std::to_string(options_.port) + "?");
    }
    return Report();
  }

 private:
  bool open_loop() const { return options_.rate > 0; }

  size_t Busy() const {
    return static_cast<size_t>(std::count_if(connections_.begin(), connections_.end(),
                                             [](const Connection& c) { return c.busy; }));
  }

  // Open loop: a timer fires every 1/rate seconds from `start`, each tick one request due.
  void StartSchedule(Clock::time_point start) {
    interval_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / options_.rate));
    first_due_ = start;
    timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(interval_).count();
    itimerspec spec{};
    spec.it_interval = {static_cast<time_t>(ns / 1'000'000'000),
                        static_cast<long>(ns % 1'000'000'000)};
    spec.it_value = {0, 1};  // at once
    timerfd_settime(timer_, 0, &spec, nullptr);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = nullptr;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &event);
  }

  // The timer fired (maybe more than once since last read): those requests are due.
  void Due() {
    uint64_t ticks = 0;
    if (read(timer_, &ticks, sizeof ticks) != sizeof ticks) return;
    for (uint64_t i = 0; i < ticks; ++i) {
      const Clock::time_point due = first_due_ + interval_ * static_cast<int64_t>(scheduled_++);
      if (due < stop_at_) due_.push_back(due);
    }
    Dispatch();
  }

  // Open loop: each request due goes out on a free connection, oldest first.
  void Dispatch() {
    for (Connection& connection : connections_) {
      if (due_.empty()) return;
      if (connection.fd < 0 || connection.busy) continue;
      const Clock::time_point due = due_.front();
      due_.pop_front();
      Next(connection, due);
    }
  }

  void Open(Connection& connection) {
    if (connection.fd >= 0) close(connection.fd);
    connection.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    setsockopt(connection.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(connection.fd, reinterpret_cast<const sockaddr*>(&address_), sizeof address_) !=
            0 &&
        errno != EINPROGRESS) {
      throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
    }
    epoll_event event{};
    // Edge-triggered: a socket is writable nearly always, and level-triggered EPOLLOUT would
    // wake the loop for nothing.
    event.events = EPOLLIN | EPOLLOUT | EPOLLET;
    event.data.ptr = &connection;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, connection.fd, &event);
    connection.busy = false;
    if (!open_loop()) Next(connection, Clock::now());
  }

  void Next(Connection& connection, Clock::time_point due) {
    std::string body = options_.body;
    if (const size_t at = body.find("{n}"); at != std::string::npos) {
      body.replace(at, 3, std::to_string(run_id_ * 1000 + sequence_++));
    }
    connection.out =
        "POST " + options_.path + " HTTP/1.1\r\nHost: " + options_.host + ":" +
        std::to_string(options_.port) + "\r\n" + authorization_ +
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    connection.written = 0;
    connection.in.clear();
    connection.sent = due;
    connection.busy = true;
    Write(connection);
  }

  void Write(Connection& connection) {
    while (connection.written < connection.out.size()) {
      const ssize_t n = send(connection.fd, connection.out.data() + connection.written,
                             connection.out.size() - connection.written, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno != EAGAIN) Fail(connection);
        return;
      }
      connection.written += static_cast<size_t>(n);
    }
  }

  void Read(Connection& connection) {
    char chunk[16384];
    bool hung_up = false;
    while (true) {  // edge-triggered: drain it
      const ssize_t n = recv(connection.fd, chunk, sizeof chunk, 0);
      if (n > 0) {
        connection.in.append(chunk, static_cast<size_t>(n));
        continue;
      }
      hung_up = n == 0 || errno != EAGAIN;
      break;
    }
    std::optional<Response> response;
    try {
      response = ParseResponse(connection.in);
    } catch (const std::exception&) {
      Fail(connection);
      return;
    }
    if (!response) {
      if (hung_up) Fail(connection);  // gone without (the whole of) an answer
      return;
    }
    const auto received = Clock::now();
    ++answered_;
    // Closed loop: what was answered in the window; open loop: what was due in it.
    if (connection.sent >= measure_from_ &&
        (open_loop() ? connection.sent < stop_at_ : received <= stop_at_)) {
      latencies_ms_.push_back(
          std::chrono::duration<double, std::milli>(received - connection.sent).count());
      ++answers_[Classify(response->status, response->body)];
    }
    connection.busy = false;
    if (response->close || hung_up) {
      Reopen(connection);
    } else if (open_loop()) {
      Dispatch();
    } else {
      Next(connection, Clock::now());
    }
  }

  // Counts the failure and closes the connection; Run() opens it again.
  void Fail(Connection& connection) {
    if (connection.fd < 0) return;  // already failed
    ++failures_;
    if (connection.busy && connection.sent >= measure_from_) ++errors_;
    if (open_loop() && connection.busy) due_.push_front(connection.sent);  // sent again
    connection.busy = false;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, connection.fd, nullptr);
    close(connection.fd);
    connection.fd = -1;
    failed_.push_back(&connection);
  }

  void Reopen(Connection& connection) {
    epoll_ctl(epoll_, EPOLL_CTL_DEL, connection.fd, nullptr);
    Open(connection);
  }

  nlohmann::ordered_json Report() {
    std::sort(latencies_ms_.begin(), latencies_ms_.end());
    auto percentile = [this](double p) {
      if (latencies_ms_.empty()) return 0.0;
      const size_t index =
          std::min(latencies_ms_.size() - 1,
                   static_cast<size_t>(p * static_cast<double>(latencies_ms_.size())));
      return latencies_ms_[index];
    };
    return {{"requests", latencies_ms_.size()},
            {"seconds", options_.seconds},
            {"rps", static_cast<double>(latencies_ms_.size()) / options_.seconds},
            {"p50_ms", percentile(0.50)},
            {"p99_ms", percentile(0.99)},
            {"max_ms", latencies_ms_.empty() ? 0.0 : latencies_ms_.back()},
            {"errors", errors_},
            {"unsent", due_.size()},  // open loop: due, but no connection was free by the end
            {"answers", answers_}};
  }

  const Options& options_;
  const std::string authorization_;  // the whole header line, or empty
  const uint64_t run_id_;
  sockaddr_in address_{};
  int epoll_ = -1;
  Clock::time_point measure_from_, stop_at_;
  std::vector<Connection> connections_;  // never resized after Run() starts: epoll holds pointers
  uint64_t sequence_ = 0;
  std::vector<double> latencies_ms_;
  std::map<std::string, uint64_t> answers_;
  uint64_t errors_ = 0;              // failures while measuring
  uint64_t failures_ = 0;            // all failures, warm-up included
  uint64_t answered_ = 0;            // all answers, warm-up included
  std::vector<Connection*> failed_;  // to be opened again by Run()
  // Open loop.
  int timer_ = -1;
  Clock::duration interval_{};
  Clock::time_point first_due_;
  uint64_t scheduled_ = 0;             // ticks so far
  std::deque<Clock::time_point> due_;  // requests due and not yet sent
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"gatehouse-load: closed- or open-loop HTTP load for the benchmarks"};
  app.add_option("--host", options.host, "IPv4 address");
  app.add_option("--port", options.port)->required();
  app.add_option("--path", options.path);
  app.add_option("--body", options.body, "JSON body; {n} becomes a per-request number");
  app.add_option("--connections", options.connections)->check(CLI::Range(1, 1024));
  app.add_option("--seconds", options.seconds)->check(CLI::Range(0.1, 3600.0));
  app.add_option("--warmup-s", options.warmup_s)->check(CLI::Range(0.0, 600.0));
  app.add_option("--rate", options.rate, "open loop: requests a second (0: closed loop)")
      ->check(CLI::Range(0.0, 100000.0));
  CLI11_PARSE(app, argc, argv);
  const char* basic = std::getenv("GATEHOUSE_BENCH_BASIC");
  const std::string authorization =
      basic != nullptr ? "Authorization: Basic " + gatehouse::EncodeBase64(basic) + "\r\n" : "";
  try {
    LoadGenerator generator(options, authorization);
    std::cout << generator.Run().dump() << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "gatehouse-load: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
