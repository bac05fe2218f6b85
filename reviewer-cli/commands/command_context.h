#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/review_client.h"

namespace gatehouse::cli {

// Exit codes of design.md §6.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,       // not found, conflict, refused
  kExitUsage = 2,        // bad flags or arguments
  kExitUnreachable = 3,  // the server did not answer
  kExitAuth = 4,         // token missing, unknown or without the needed role
};

// -o: table for people; json (one indented document) or jsonl (one compact value per line,
// an array as one line per element) for scripts.
enum class OutputFormat { kTable, kJson, kJsonLines };

// What every command needs: the client, where to write, and how.
struct CommandContext {
  ReviewClient& client;
  std::string server;  // for hints in error messages
  OutputFormat format = OutputFormat::kTable;
  bool terminal = false;  // stdout is a terminal: aligned columns, relative ages
  bool colour = false;    // colour states (see ColourEnabled)
  bool tls = false;       // the channel uses TLS: shapes the hint when the server is unreachable
  absl::Time now;
  std::ostream& out;  // data
  std::ostream& err;  // messages
};

bool IsJson(const CommandContext& context);

// Writes `value` to context.out in the json or jsonl form of context.format.
void PrintJson(const CommandContext& context, const nlohmann::ordered_json& value);

// Prints one line (plus a hint where one helps) for a failed call about `subject`, e.g.
// "request/abc", and returns the matching exit code. Never prints a raw status number.
// The request `request` shares its email with (same_email_as), for display; null when there
// is none or it cannot be read (the id alone is shown then).
std::unique_ptr<approval::v1::ApprovalRequest> SameEmailRequest(
    const CommandContext& context, const approval::v1::ApprovalRequest& request);

int ReportFailure(const CommandContext& context, const absl::Status& status,
                  const std::string& subject);

}  // namespace gatehouse::cli
