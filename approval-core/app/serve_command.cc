#include "app/serve_command.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/database_health.h"
#include "app/housekeeping.h"
#include "app/metrics_endpoint.h"
#include "app/periodic_task.h"
#include "app/policy_file.h"
#include "auth/authenticator.h"
#include "common/host_port.h"
#include "common/keepalive.h"
#include "common/shutdown_signal.h"
#include "domain/approval_service.h"
#include "notify/notifier.h"
#include "notify/notify_config.h"
#include "notify/notify_metrics.h"
#include "rpc/connector_service_impl.h"
#include "rpc/review_service_impl.h"
#include "rpc/status_service_impl.h"
#include "rpc/stream_access.h"
#include "storage/sqlite_connection.h"
#include "storage/sqlite_delivery_store.h"
#include "storage/sqlite_request_store.h"
#include "storage/sqlite_token_store.h"
#include "system/time_clustered_id_generator.h"

namespace gatehouse::core {
namespace {

// Connector payloads are capped at 64 KiB by the gateway; this leaves room for listings.
constexpr int kMaxMessageBytes = 4 * 1024 * 1024;
constexpr absl::Duration kHousekeepingInterval = absl::Minutes(1);
constexpr absl::Duration kHealthInterval = absl::Seconds(2);
// Room for a call that arrived between the idle check and Shutdown(); ours take milliseconds.
constexpr auto kFinalShutdownDeadline = std::chrono::milliseconds(250);

}  // namespace

int RunServer(const ServeOptions& options) {
  const auto address = ParseHostPort(options.listen);
  if (!address) {
    spdlog::error("--listen must be HOST:PORT, got '{}'", options.listen);
    return 2;
  }
  if (options.tls.cert.empty() && !IsLoopbackHost(address->host) &&
      !options.allow_insecure_plaintext) {
    spdlog::error(
        "refusing to serve plaintext gRPC on {}: bearer tokens would cross the network in "
        "clear. Set --tls-cert and --tls-key, listen on loopback, or pass "
        "--allow-insecure-plaintext (e.g. inside a private container network)",
        options.listen);
    return 2;
  }
  if (options.tls.cert.empty() && !IsLoopbackHost(address->host)) {
    spdlog::warn("serving plaintext gRPC on {} (--allow-insecure-plaintext)", options.listen);
  }
  const std::filesystem::path db_path(options.db);
  if (db_path.has_parent_path()) {
    std::error_code ignored;  // a failure shows up, better worded, when opening
    std::filesystem::create_directories(db_path.parent_path(), ignored);
  }
  auto connection = SqliteConnection::Open(options.db);
  if (!connection.ok()) {
    spdlog::error("{}", connection.status().ToString());
    return 1;
  }

  // Declared before the store, whose commits signal them, so they outlive every commit.
  ChangeFeed feed({.stall_limit = std::chrono::milliseconds(options.watch_stall_ms)});
  ChangeSignal notify_signal;
  SqliteRequestStore requests(**connection);
  requests.SetEventListener([&feed, &notify_signal] {
    feed.Notify();
    notify_signal.Notify();
  });
  SqliteTokenStore tokens(**connection);
  SystemClock clock;
  TimeClusteredIdGenerator ids(clock);
  auto policy = LoadPolicyFile(options.config_path);
  if (!policy.ok()) {
    spdlog::error("{}", std::string(policy.status().message()));
    return 2;
  }
  auto notify_targets = LoadNotifyTargets(options.config_path);
  if (!notify_targets.ok()) {
    spdlog::error("{}", std::string(notify_targets.status().message()));
    return 2;
  }
  spdlog::info("pending requests expire after {} days; personal data {}; policy: {} rule(s)",
               options.pending_ttl_days,
               options.retention_days == 0
                   ? std::string("is kept")
                   : absl::StrCat("is purged ", options.retention_days, " days after a decision"),
               policy->rules().size());
  spdlog::info("emails count as verified from local accounts, Entra email sign-ins{}",
               options.verified_email_issuers.empty()
                   ? std::string()
                   : absl::StrCat(" and ", absl::StrJoin(options.verified_email_issuers, ", ")));
  ApprovalService approvals(
      requests, clock, ids,
      ApprovalSettings{.pending_ttl = absl::Hours(24) * options.pending_ttl_days,
                       .policy = *std::move(policy),
                       .retention = absl::Hours(24) * options.retention_days,
                       .verified_email_issuers = options.verified_email_issuers});
  SqliteDeliveryStore deliveries(**connection, requests);
  if (!notify_targets->empty()) {
    spdlog::info("notifications to {} target(s)", notify_targets->size());
  }
  std::vector<std::string> target_names;
  for (const NotifyTarget& target : *notify_targets) target_names.push_back(target.name);
  Notifier notifier(*std::move(notify_targets), approvals, deliveries, notify_signal,
                    absl::Hours(24) * options.pending_ttl_days);
  std::unique_ptr<MetricsEndpoint> metrics;
  if (!options.metrics_listen.empty()) {
    auto started = MetricsEndpoint::Start(options.metrics_listen, [&deliveries, target_names] {
      return RenderNotifyMetrics(deliveries, target_names, absl::Now());
    });
    if (!started.ok()) {
      spdlog::error("{}", std::string(started.status().message()));
      return 2;
    }
    metrics = *std::move(started);
    spdlog::info("metrics on http://{}:{}/metrics", ParseHostPort(options.metrics_listen)->host,
                 metrics->port());
  }
  PeriodicTask housekeeping(kHousekeepingInterval, [&approvals](const std::atomic<bool>& stopping) {
    RunHousekeeping(approvals, stopping);
  });
  Authenticator authenticator(tokens);
  CallGuard guard(authenticator);
  StreamAccess streams(guard, options.max_streams_per_token);
  ConnectorServiceImpl connector_service(approvals, guard, feed, streams);
  ReviewServiceImpl review_service(approvals, guard, feed, streams);
  StatusServiceImpl status_service(approvals, guard);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  auto credentials = ServerCredentialsFor(options.tls);
  if (!credentials.ok()) {
    spdlog::error("{}", std::string(credentials.status().message()));
    return 2;
  }
  builder.AddListeningPort(options.listen, *credentials, &port);
  // gRPC sets SO_REUSEPORT by default, so a second core started on the same port would
  // silently share the traffic (and the database). Refuse instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Accept the gateways' keepalive pings (every kCoreKeepaliveMs, also between calls); gRPC's
  // default would answer pings more often than every 5 minutes with GOAWAY "too_many_pings".
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             kCoreKeepaliveMs / 2);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  builder.RegisterService(&connector_service);
  builder.RegisterService(&review_service);
  builder.RegisterService(&status_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    spdlog::error("cannot listen on {}", options.listen);
    return 1;
  }
  DatabaseHealth health(**connection, *server->GetHealthCheckService());
  std::optional<PeriodicTask> health_checks;
  health_checks.emplace(kHealthInterval, [&health](const std::atomic<bool>&) { health.Check(); });
  spdlog::info("approval-core ready on {}:{} ({}, database {})", address->host, port,
               options.tls.cert.empty() ? "plaintext"
               : options.tls.ca.empty() ? "TLS"
                                        : "TLS, client certificates required",
               options.db);

  const int signal_number = WaitForShutdownSignal();
  spdlog::info("signal {} received, stopping", signal_number);
  // Let running handlers finish (bounded by the grace period), then shut down with a short
  // deadline: see CallGuard::WaitUntilIdle for why not simply Shutdown(now + grace).
  const auto grace = std::chrono::milliseconds(options.shutdown_grace_ms);
  if (!guard.WaitUntilIdle(std::chrono::steady_clock::now() + grace)) {
    spdlog::warn("calls still running after {} ms; cancelling them", options.shutdown_grace_ms);
  }
  health_checks.reset();  // nothing may touch the health service once the server shuts down
  feed.Close();           // open watch streams end now, telling clients where to resume
  server->Shutdown(std::chrono::system_clock::now() + kFinalShutdownDeadline);
  server->Wait();
  spdlog::info("approval-core stopped");
  return 0;
}

}  // namespace gatehouse::core
