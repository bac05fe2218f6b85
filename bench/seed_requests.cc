// gatehouse-seed: fills a database with pending requests through approval-core's own
// ApprovalService and SQLite store, so that latency can be compared at 10,000 and at 1,000,000
// stored requests. Applicant n is "seed-n@example.com" with a google.com identity "seed-n".
// Bench data only: it turns SQLite's fsync off for the fill (synchronous=OFF), and syncs once
// at the end.
#include <CLI/CLI.hpp>
#include <atomic>
#include <future>
#include <iostream>
#include <thread>
#include <vector>

#include "domain/approval_service.h"
#include "domain/clock.h"
#include "storage/sqlite_connection.h"
#include "storage/sqlite_request_store.h"
#include "system/time_clustered_id_generator.h"

int main(int argc, char** argv) {
  using namespace gatehouse::core;
  std::string db;
  int64_t first = 0, count = 10000;
  CLI::App app{"gatehouse-seed: pending requests for the benchmarks"};
  app.add_option("--db", db)->required();
  app.add_option("--first", first, "number of the first applicant");
  app.add_option("--count", count)->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  CLI11_PARSE(app, argc, argv);

  auto connection = SqliteConnection::Open(db);
  if (!connection.ok()) {
    std::cerr << connection.status() << "\n";
    return 1;
  }
  (*connection)->db().exec("PRAGMA synchronous = OFF");
  SqliteRequestStore store(**connection);
  SystemClock clock;
  TimeClusteredIdGenerator ids(clock);
  ApprovalService service(store, clock, ids);
  // Several threads at once, so the store's group commit writes them in shared transactions.
  constexpr int kThreads = 4;
  std::atomic<int64_t> next{first};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int64_t n = next++; n < first + count && !failed; n = next++) {
        const std::string tag = "seed-" + std::to_string(n);
        std::promise<absl::StatusOr<ConnectorOutcome>> answered;
        service.RequestApprovalAsync(
            Applicant{.email = tag + "@example.com",
                      .identities = {{"federated", "google.com", tag}}},
            [&answered](absl::StatusOr<ConnectorOutcome> outcome) {
              answered.set_value(std::move(outcome));
            });
        const absl::StatusOr<ConnectorOutcome> outcome = answered.get_future().get();
        if (!outcome.ok()) {
          std::cerr << "applicant " << n << ": " << outcome.status() << "\n";
          failed = true;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (failed) return 1;
  // Durable before it ends: otherwise the kernel writes the fill back (hundreds of megabytes at
  // a million requests) while the benchmark measures the stack on it.
  (*connection)->db().exec("PRAGMA synchronous = FULL");
  (*connection)->db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  std::cout << "seeded " << count << " requests" << std::endl;
  return 0;
}
