// gatehouse-store-rate: hook 2's durable write path without HTTP and gRPC. How many new
// applicants per second approval-core's own ApprovalService and SQLite store record on this
// disk (synchronous=FULL, as served) when they arrive `--batch` at a time, as the gateway's
// batched calls bring them. A fresh database in --dir, removed afterwards (and before).
// Prints {"applicants_per_s": …, "commits_per_s": …}.
#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#include "database_files.h"
#include "domain/approval_service.h"
#include "domain/clock.h"
#include "storage/sqlite_connection.h"
#include "storage/sqlite_request_store.h"
#include "system/time_clustered_id_generator.h"

int main(int argc, char** argv) {
  using namespace gatehouse::core;
  std::string directory;
  int batch = 1;
  double seconds = 3;
  CLI::App app{"gatehouse-store-rate: new applicants recorded per second by the store alone"};
  app.add_option("--dir", directory, "directory on the disk to measure")->required();
  app.add_option("--batch", batch, "applicants asked for together")->check(CLI::Range(1, 64));
  app.add_option("--seconds", seconds);
  CLI11_PARSE(app, argc, argv);

  const std::filesystem::path path = std::filesystem::path(directory) / "store-rate.db";
  gatehouse::bench::RemoveDatabaseFiles(path);
  int64_t recorded = 0;
  int64_t commits = 0;
  double elapsed = 0;
  {
    auto connection = SqliteConnection::Open(path.string());
    if (!connection.ok()) {
      std::cerr << connection.status() << "\n";
      return 1;
    }
    SqliteRequestStore store(**connection);
    SystemClock clock;
    TimeClusteredIdGenerator ids(clock);
    ApprovalService service(store, clock, ids);
    std::mutex mutex;
    std::condition_variable answered;
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end) {
      std::vector<Applicant> applicants;
      for (int i = 0; i < batch; ++i) {
        const std::string n = std::to_string(recorded + i);
        applicants.push_back(Applicant{
            .email = "applicant-" + n + "@contoso.com",
            .display_name = "Applicant " + n,
            .claims_json = R"({"email":"applicant-)" + n + R"(@contoso.com","displayName":"x"})"});
      }
      int unanswered = batch;
      bool failed = false;
      service.RequestApprovalsAsync(applicants,
                                    [&](size_t, absl::StatusOr<ConnectorOutcome> outcome) {
                                      std::lock_guard lock(mutex);
                                      if (!outcome.ok()) {
                                        std::cerr << outcome.status() << "\n";
                                        failed = true;
                                      }
                                      if (--unanswered == 0) answered.notify_one();
                                    });
      std::unique_lock lock(mutex);
      answered.wait(lock, [&] { return unanswered == 0; });
      if (failed) return 1;
      recorded += batch;
      ++commits;  // one call at a time: the store commits each batch on its own
    }
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  gatehouse::bench::RemoveDatabaseFiles(path);
  std::cout << "{\"applicants_per_s\":" << static_cast<double>(recorded) / elapsed
            << ",\"commits_per_s\":" << static_cast<double>(commits) / elapsed << "}" << std::endl;
  return 0;
}
