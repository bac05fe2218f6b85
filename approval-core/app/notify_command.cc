#include "app/notify_command.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "app/command_output.h"
#include "notify/notify_config.h"
#include "notify/send_notification.h"
#include "storage/sqlite_connection.h"
#include "storage/sqlite_delivery_store.h"
#include "storage/sqlite_request_store.h"

namespace gatehouse::core {
namespace {

// A receiver's answer, printable: control characters (terminal escapes) become '?'.
std::string Printable(std::string_view text) {
  std::string printable(text);
  for (char& c : printable) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') c = '?';
    if (c == 0x7f) c = '?';
  }
  return printable;
}

int ShowStatus(const std::string& db) {
  auto connection = SqliteConnection::Open(db);
  if (!connection.ok()) return Fail(connection.status());
  SqliteRequestStore requests(**connection);
  SqliteDeliveryStore store(**connection, requests);
  auto states = store.List();
  if (!states.ok()) return Fail(states.status());
  if (states->empty()) {
    std::cout << "no notification target has run against " << db << "\n";
    return 0;
  }
  std::cout << "TARGET\tPOSITION\tBACKLOG\tOLDEST_UNDELIVERED\tDELIVERED\tFAILED\tSTATE\n";
  const absl::Time now = absl::Now();
  for (const DeliveryState& state : *states) {
    auto backlog = store.Backlog(state.position);
    if (!backlog.ok()) return Fail(backlog.status());
    std::cout << state.target << '\t' << state.position << '\t' << backlog->events << '\t'
              << (backlog->oldest ? absl::StrCat(absl::ToInt64Seconds(now - *backlog->oldest), "s")
                                  : "-")
              << '\t' << state.delivered << '\t' << state.failed << '\t'
              << (state.disabled ? absl::StrCat("disabled since ", Rfc3339(*state.disabled), " (",
                                                state.disabled_reason, ")")
                                 : "enabled")
              << '\n';
  }
  for (const DeliveryState& state : *states) {
    auto failures = store.ListFailures(state.target);
    if (!failures.ok()) return Fail(failures.status());
    for (const FailedDelivery& failure : *failures) {
      std::cout << "failed: " << state.target << " event " << failure.revision << " at "
                << Rfc3339(failure.failed_at) << " after " << failure.attempts
                << " attempt(s): " << failure.error
                << (failure.retry_requested ? " (retry requested)" : "") << '\n';
    }
  }
  return 0;
}

int RequestRetry(const std::string& db, const std::string& name) {
  auto connection = SqliteConnection::Open(db);
  if (!connection.ok()) return Fail(connection.status());
  SqliteRequestStore requests(**connection);
  SqliteDeliveryStore store(**connection, requests);
  auto marked = store.RequestRetry(name);
  if (!marked.ok()) return Fail(marked.status());
  std::cerr << name << ": delivery is on; " << *marked
            << " failed event(s) will be sent again by the running core within 5 s\n";
  return 0;
}

int SendTest(const std::string& config_path, const std::string& name) {
  auto targets = LoadNotifyTargets(config_path);
  if (!targets.ok()) {
    std::cerr << "error: " << targets.status().message() << "\n";
    return 2;
  }
  const auto target = std::find_if(targets->begin(), targets->end(),
                                   [&](const NotifyTarget& t) { return t.name == name; });
  if (target == targets->end()) {
    std::cerr << "error: " << (config_path.empty() ? "no --config given" : config_path)
              << " has no [[notify]] target named '" << name << "'\n";
    return 2;
  }
  const absl::Time now = absl::Now();
  Change change{
      .event = {.revision = 0,
                .request_id = "test",
                .type = EventType::kCreated,
                .actor = "approval-core notify test",
                .time = now},
      .request = {.id = "test",
                  .applicant = {.email = "applicant@example.com", .display_name = "Test Applicant"},
                  .created = now,
                  .updated = now,
                  .pending_since = now,
                  .attempts = 1}};
  if (target->kind == NotifyKind::kEmail && target->to_applicant) {
    change.event.type = EventType::kApproved;  // applicants hear only of decisions
    change.event.state_after = RequestState::kApproved;
    change.request.applicant.email = target->from;  // to the sender: no stranger gets a test
  }
  CurlEasy http;
  const DeliveryAnswer answer =
      SendNotification(*target, {change}, absl::Hours(24 * 30), now, http);
  std::cout << answer.detail << "\n";
  if (!answer.body.empty()) std::cout << Printable(answer.body) << "\n";
  return answer.outcome == DeliveryAnswer::Outcome::kDelivered ? 0 : 1;
}

}  // namespace

void AddNotifyCommands(CLI::App& app, std::string& db, std::string& config_path,
                       std::vector<Subcommand>& commands) {
  auto name = std::make_shared<std::string>();
  CLI::App* notify =
      app.add_subcommand("notify", "inspect and steer [[notify]] delivery")->require_subcommand(1);
  CLI::App* status = notify->add_subcommand(
      "status", "each target: position, backlog, oldest undelivered event, failures");
  AddDbOption(status, db);
  commands.push_back({status, [&db] { return ShowStatus(db); }});

  CLI::App* retry =
      notify->add_subcommand("retry", "turn a target back on and send its failed events again");
  AddDbOption(retry, db);
  retry->add_option("name", *name, "the target's name")->required();
  commands.push_back({retry, [&db, name] { return RequestRetry(db, *name); }});

  CLI::App* test = notify->add_subcommand("test", "send a made-up event to one target");
  test->add_option("--config", config_path, "TOML config file with [[notify]] tables")
      ->envname("GATEHOUSE_CORE_CONFIG");
  test->add_option("name", *name, "the target's name")->required();
  commands.push_back({test, [&config_path, name] { return SendTest(config_path, *name); }});
}

}  // namespace gatehouse::core
