// gatehouse-load: a closed-loop HTTP load generator for the benchmarks. Each of --connections
// threads keeps one keep-alive connection and sends the next request as soon as the answer
// is in, for --seconds after --warmup-s. Prints one JSON object: throughput, latency
// percentiles and the answers seen (action/code), so a run can be checked, not just timed.
//
// The body may contain {n}, replaced by a number unique to each request of the run (distinct
// applicants). Basic credentials come from GATEHOUSE_BENCH_BASIC ("user:password").
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

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
};

// "action/code" of a connector answer, found without a full parse to keep the generator's own
// CPU use small (it shares the machine with the servers it measures).
std::string Classify(int status, const std::string& body) {
  auto field = [&body](const std::string& name) {
    const std::string key = "\"" + name + "\":\"";
    const size_t at = body.find(key);
    if (at == std::string::npos) return std::string();
    const size_t start = at + key.size();
    return body.substr(start, body.find('"', start) - start);
  };
  std::string label = std::to_string(status) + " " + field("action");
  if (const std::string code = field("code"); !code.empty()) label += "/" + code;
  return label;
}

std::string Substitute(const std::string& body, uint64_t n) {
  const size_t at = body.find("{n}");
  if (at == std::string::npos) return body;
  return body.substr(0, at) + std::to_string(n) + body.substr(at + 3);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"gatehouse-load: closed-loop HTTP load for the benchmarks"};
  app.add_option("--host", options.host);
  app.add_option("--port", options.port)->required();
  app.add_option("--path", options.path);
  app.add_option("--body", options.body, "JSON body; {n} becomes a per-request number");
  app.add_option("--connections", options.connections)->check(CLI::Range(1, 1024));
  app.add_option("--seconds", options.seconds)->check(CLI::Range(0.1, 3600.0));
  app.add_option("--warmup-s", options.warmup_s)->check(CLI::Range(0.0, 600.0));
  CLI11_PARSE(app, argc, argv);
  const char* basic = std::getenv("GATEHOUSE_BENCH_BASIC");
  const std::string credentials = basic != nullptr ? basic : "";
  const size_t colon = credentials.find(':');

  const uint64_t run_id = static_cast<uint64_t>(Clock::now().time_since_epoch().count());
  std::atomic<uint64_t> sequence{0};
  const auto start = Clock::now();
  const auto measure_from = start + std::chrono::duration<double>(options.warmup_s);
  const auto stop_at = measure_from + std::chrono::duration<double>(options.seconds);
  std::mutex merge;
  std::vector<double> latencies_ms;
  std::map<std::string, uint64_t> answers;
  uint64_t errors = 0;

  std::vector<std::thread> threads;
  for (int c = 0; c < options.connections; ++c) {
    threads.emplace_back([&] {
      httplib::Client client(options.host, options.port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_connection_timeout(5);
      client.set_read_timeout(10);
      if (colon != std::string::npos) {
        client.set_basic_auth(credentials.substr(0, colon), credentials.substr(colon + 1));
      }
      std::vector<double> mine;
      std::map<std::string, uint64_t> seen;
      uint64_t failed = 0;
      for (auto now = Clock::now(); now < stop_at; now = Clock::now()) {
        const uint64_t n = run_id * 1000 + sequence++;
        const std::string body = Substitute(options.body, n);
        const auto sent = Clock::now();
        auto result = client.Post(options.path, body, "application/json");
        const auto received = Clock::now();
        if (sent < measure_from) continue;
        if (!result) {
          ++failed;
          continue;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(received - sent).count());
        ++seen[Classify(result->status, result->body)];
      }
      std::lock_guard lock(merge);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      for (const auto& [label, count] : seen) answers[label] += count;
      errors += failed;
    });
  }
  for (auto& thread : threads) thread.join();

  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto percentile = [&latencies_ms](double p) {
    if (latencies_ms.empty()) return 0.0;
    const size_t index = std::min(latencies_ms.size() - 1,
                                  static_cast<size_t>(p * static_cast<double>(latencies_ms.size())));
    return latencies_ms[index];
  };
  nlohmann::ordered_json report = {
      {"requests", latencies_ms.size()},
      {"seconds", options.seconds},
      {"rps", static_cast<double>(latencies_ms.size()) / options.seconds},
      {"p50_ms", percentile(0.50)},
      {"p99_ms", percentile(0.99)},
      {"max_ms", latencies_ms.empty() ? 0.0 : latencies_ms.back()},
      {"errors", errors},
      {"answers", answers}};
  std::cout << report.dump() << std::endl;
  return 0;
}
