#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace gatehouse {

// Loads a TOML file whose top-level keys name options of `app` ("listen" sets "--listen",
// "core_deadline_ms" sets "--core-deadline-ms") and makes each value that option's default.
// Parsing afterwards gives the documented precedence: flag > environment > file > default.
// INVALID_ARGUMENT naming the key for an unknown key or a value the option rejects; NOT_FOUND
// if the file cannot be read.
// `sections` are top-level keys read by someone else (e.g. approval-core's [[rule]] tables) and
// skipped here.
absl::Status ApplyConfigFile(CLI::App& app, const std::string& path,
                             const std::vector<std::string>& sections = {});

// The whole command-line step of a program: applies the config file named by `--config FILE`
// (or by the environment variable `config_env`, if not null; or else `fallback_path` when
// that file exists, e.g. a per-user file that is optional), then parses argv. Returns
// nullopt to go on, or the exit code to leave with after the message is printed: 0 after
// --help, 2 for a usage or config-file error.
std::optional<int> ParseCommandLine(CLI::App& app, int argc, const char* const* argv,
                                    const char* config_env,
                                    const std::vector<std::string>& sections = {},
                                    const std::string& fallback_path = "");

}  // namespace gatehouse
