#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "absl/status/status.h"

namespace gatehouse {

// Returns the value of `--config FILE` / `--config=FILE` in argv, else the environment
// variable `env_name`, else "". Read before the real parse so that the file's values can
// become the options' defaults.
std::string FindConfigPath(int argc, const char* const* argv, const char* env_name);

// Loads a TOML file whose top-level keys name options of `app` ("listen" sets "--listen",
// "core_deadline_ms" sets "--core-deadline-ms") and makes each value that option's default.
// Parsing afterwards gives the documented precedence: flag > environment > file > default.
// INVALID_ARGUMENT naming the key for an unknown key or a value the option rejects; NOT_FOUND
// if the file cannot be read.
absl::Status ApplyConfigFile(CLI::App& app, const std::string& path);

}  // namespace gatehouse
