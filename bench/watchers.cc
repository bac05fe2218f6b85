// gatehouse-watchers: open WatchRequests streams against approval-core for a benchmark run and
// check that each sees every event. --following streams read every event as it comes (token in
// GATEHOUSE_BENCH_FOLLOW_TOKEN); --idle streams are held open and read nothing until the run is
// over (token in GATEHOUSE_BENCH_IDLE_TOKEN; a token holds 8 streams by default). Prints
// "watching" once every stream is open, then waits for a line "until N" on stdin: every stream
// then reads until revision N (the idle ones catch up now), and one JSON object is printed:
// whether every stream saw every revision after --since up to N, exactly once and in order, and
// how long the following streams took to receive each event after it was recorded.
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "approval/v1/review_service.grpc.pb.h"
#include "common/bearer.h"

namespace {

namespace pb = ::approval::v1;
using namespace std::chrono_literals;

struct Watcher {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<pb::WatchRequestsResponse>> stream;
  std::atomic<int64_t> last{0};  // revision of the last event read
  bool in_order = true;        // every event was last + 1
  std::vector<double> lag_ms;  // recorded → received, following streams only
};

// Reads from `watcher` until revision `*until` (0: not known yet, so keep reading) is reached
// or the stream ends.
void Read(Watcher& watcher, const std::atomic<int64_t>& until, bool timed) {
  pb::WatchRequestsResponse message;
  while (until == 0 || watcher.last < until) {
    if (!watcher.stream->Read(&message)) return;
    const int64_t revision = message.event().revision();
    if (revision != watcher.last.load() + 1) watcher.in_order = false;
    watcher.last = revision;
    if (timed) {
      const auto recorded = std::chrono::system_clock::time_point(
          std::chrono::seconds(message.event().time().seconds()) +
          std::chrono::nanoseconds(message.event().time().nanos()));
      watcher.lag_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::system_clock::now() - recorded)
              .count());
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0, following = 8, idle = 8;
  int64_t since = 0;
  CLI::App app{"gatehouse-watchers: WatchRequests streams for the benchmarks"};
  app.add_option("--port", port, "approval-core's port on 127.0.0.1")->required();
  app.add_option("--since", since, "watch from after this revision");
  app.add_option("--following", following)->check(CLI::Range(0, 64));
  app.add_option("--idle", idle)->check(CLI::Range(0, 64));
  CLI11_PARSE(app, argc, argv);
  const char* follow_token = std::getenv("GATEHOUSE_BENCH_FOLLOW_TOKEN");
  const char* idle_token = std::getenv("GATEHOUSE_BENCH_IDLE_TOKEN");
  if (follow_token == nullptr || idle_token == nullptr) {
    std::cerr << "gatehouse-watchers: set GATEHOUSE_BENCH_FOLLOW_TOKEN and "
                 "GATEHOUSE_BENCH_IDLE_TOKEN\n";
    return 2;
  }
  auto stub = pb::ReviewService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  std::vector<std::unique_ptr<Watcher>> watchers;
  pb::WatchRequestsRequest request;
  request.set_since_revision(since);
  for (int i = 0; i < following + idle; ++i) {
    auto watcher = std::make_unique<Watcher>();
    watcher->last = since;
    watcher->context.AddMetadata(
        "authorization", gatehouse::BearerHeader(i < following ? follow_token : idle_token));
    watcher->context.set_deadline(std::chrono::system_clock::now() + 10min);
    watcher->stream = stub->WatchRequests(&watcher->context, request);
    watchers.push_back(std::move(watcher));
  }
  std::atomic<int64_t> until{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < following; ++i) {
    readers.emplace_back([&, i] { Read(*watchers[static_cast<size_t>(i)], until, true); });
  }
  std::cout << "watching" << std::endl;

  std::string word;
  int64_t last_revision = 0;
  if (!(std::cin >> word >> last_revision) || word != "until") {
    std::cerr << "gatehouse-watchers: expected 'until N' on stdin\n";
    return 2;
  }
  until = std::max<int64_t>(last_revision, 1);
  for (int i = following; i < following + idle; ++i) {
    readers.emplace_back([&, i] { Read(*watchers[static_cast<size_t>(i)], until, false); });
  }
  // A following stream may be blocked in Read with nothing more to come if it already passed
  // `until`; all have by now or will within the deadline below.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  for (auto& watcher : watchers) {
    while (watcher->last < until && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
  }
  for (auto& watcher : watchers) watcher->context.TryCancel();
  for (auto& reader : readers) reader.join();

  bool all = true;
  std::vector<double> lags;
  for (const auto& watcher : watchers) {
    all = all && watcher->in_order && watcher->last == until;
    lags.insert(lags.end(), watcher->lag_ms.begin(), watcher->lag_ms.end());
  }
  std::sort(lags.begin(), lags.end());
  auto percentile = [&lags](double p) {
    return lags.empty() ? 0.0
                        : lags[std::min(lags.size() - 1,
                                        static_cast<size_t>(p * static_cast<double>(lags.size())))];
  };
  nlohmann::ordered_json report = {{"following", following},
                                   {"idle", idle},
                                   {"events", until - since},
                                   {"every_stream_saw_every_event", all},
                                   {"lag_p50_ms", percentile(0.5)},
                                   {"lag_p99_ms", percentile(0.99)},
                                   {"lag_max_ms", lags.empty() ? 0.0 : lags.back()}};
  std::cout << report.dump() << std::endl;
  return all ? 0 : 1;
}
