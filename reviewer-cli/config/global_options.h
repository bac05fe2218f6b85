#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "common/tls_files.h"

namespace gatehouse::cli {

// The options every verb shares (design.md §6), as flags, GATEHOUSE_* variables and keys of the
// user's config file.
struct GlobalOptions {
  std::string server = "127.0.0.1:50051";
  std::string output = "table";  // table, json or jsonl
  std::string colour_mode = "auto";
  std::string token_file;
  bool token_file_given = false;  // --token-file on the command line (set after parsing)
  std::string config_path;
  TlsFiles tls;
  int timeout_ms = 5000;
};

// `reviewer --help`'s description, naming `default_config` (empty: HOME is not set).
std::string ReviewerDescription(const std::string& default_config);

void AddGlobalOptions(CLI::App& app, GlobalOptions& options);

}  // namespace gatehouse::cli
