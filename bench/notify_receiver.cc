// gatehouse-notify-receiver: a webhook receiver for bench/run.sh's notification row. Takes every
// POST (answer 204), remembers each event's revision and how long after it was recorded (the
// body's "timestamp") it arrived. Prints "ready on 127.0.0.1:PORT", then waits for a line
// "since S until N" on stdin: it waits (up to 10 s) for every revision after S up to N, and
// prints one JSON object: how many of them arrived, how many are missing, and the arrival lag's
// p99 and worst over them.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace {

using nlohmann::json;

// "2026-12-07T21:14:05.123Z" as milliseconds since the epoch (UTC, as approval-core writes it).
double ParseMillis(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
             &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) != 7) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm)) * 1000 + millis;
}

double NowMillis() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gatehouse-notify-receiver: a webhook receiver that measures delivery"};
  CLI11_PARSE(app, argc, argv);

  std::mutex mutex;
  std::map<int64_t, double> lag_ms;  // revision -> arrival lag (first arrival)
  httplib::Server server;
  server.Post("/hook", [&](const httplib::Request& request, httplib::Response& response) {
    const double arrived = NowMillis();
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.contains("data")) {
      response.status = 400;
      return;
    }
    const int64_t revision = body["data"].value("revision", int64_t{0});
    const double recorded = ParseMillis(body.value("timestamp", ""));
    std::lock_guard lock(mutex);
    lag_ms.emplace(revision, arrived - recorded);
    response.status = 204;
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::cerr << "cannot listen\n";
    return 1;
  }
  std::thread listener([&] { server.listen_after_bind(); });
  std::cout << "ready on 127.0.0.1:" << port << std::endl;

  std::string line;
  int64_t since = 0, until = 0;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string a, b;
    if (words >> a >> since >> b >> until && a == "since" && b == "until") break;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::vector<double> lags;
  int64_t missing = 0;
  while (true) {
    {
      std::lock_guard lock(mutex);
      lags.clear();
      missing = 0;
      for (int64_t revision = since + 1; revision <= until; ++revision) {
        auto found = lag_ms.find(revision);
        if (found == lag_ms.end()) {
          ++missing;
        } else {
          lags.push_back(found->second);
        }
      }
    }
    if (missing == 0 || std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::sort(lags.begin(), lags.end());
  const auto at = [&](double q) {
    return lags.empty() ? 0.0
                        : lags[std::min(lags.size() - 1,
                                        static_cast<size_t>(q * static_cast<double>(lags.size())))];
  };
  std::cout << json{{"events", until - since},
                    {"received", lags.size()},
                    {"missing", missing},
                    {"lag_p99_ms", at(0.99)},
                    {"lag_max_ms", lags.empty() ? 0.0 : lags.back()}}
                   .dump()
            << std::endl;
  server.stop();
  listener.join();
  return 0;
}
