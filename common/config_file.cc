#include "common/config_file.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/toml_file.h"

namespace gatehouse {
namespace {

// A string, number or boolean; or an array of them, for a list option (comma-separated).
bool ScalarToString(const toml::node& node, std::string* out);

bool ArrayToString(const toml::array& array, std::string* out) {
  out->clear();
  for (const toml::node& element : array) {
    std::string value;
    if (element.is_array() || !ScalarToString(element, &value)) return false;
    if (!out->empty()) *out += ",";
    *out += value;
  }
  return true;
}

bool ScalarToString(const toml::node& node, std::string* out) {
  if (auto array = node.as_array()) return ArrayToString(*array, out);
  if (auto s = node.as_string()) {
    *out = s->get();
  } else if (auto i = node.as_integer()) {
    *out = std::to_string(i->get());
  } else if (auto f = node.as_floating_point()) {
    *out = std::to_string(f->get());
  } else if (auto b = node.as_boolean()) {
    *out = b->get() ? "true" : "false";
  } else {
    return false;
  }
  return true;
}

// The value of `--config FILE` / `--config=FILE` in argv, else of the environment variable
// `env_name` (if not null), else "". Read before the real parse so that the file's values can
// become the options' defaults.
std::string FindConfigPath(int argc, const char* const* argv, const char* env_name) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--config" && i + 1 < argc) return argv[i + 1];
    if (arg.starts_with("--config=")) return std::string(arg.substr(std::strlen("--config=")));
  }
  if (env_name == nullptr) return "";
  const char* env = std::getenv(env_name);
  return env != nullptr ? env : "";
}

}  // namespace
absl::Status ApplyConfigFile(CLI::App& app, const std::string& path,
                             const std::vector<std::string>& sections) {
  if (!std::filesystem::is_regular_file(path)) {
    return absl::NotFoundError(absl::StrCat("config file ", path, " does not exist"));
  }
  auto table = ReadTomlFile(path);
  if (!table.ok()) return table.status();
  for (const auto& [key, node] : *table) {
    const std::string name(key.str());
    if (std::find(sections.begin(), sections.end(), name) != sections.end()) continue;
    CLI::Option* option = nullptr;
    if (name != "config") {
      try {
        option = app.get_option(absl::StrCat("--", absl::StrReplaceAll(name, {{"_", "-"}})));
      } catch (const CLI::OptionNotFound&) {
        option = nullptr;
      }
    }
    if (option == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("config file ", path, ": unknown key '", name, "'"));
    }
    if (node.is_array() && node.as_array()->empty() && option->get_items_expected_max() > 1) {
      continue;  // an empty list: the option's own default, which is empty
    }
    std::string value;
    // A list only for an option that takes several values.
    if ((node.is_array() && option->get_items_expected_max() <= 1) ||
        !ScalarToString(node, &value)) {
      return absl::InvalidArgumentError(absl::StrCat("config file ", path, ": key '", name,
                                                     "' must be a string, number, boolean or a "
                                                     "list of them"));
    }
    try {
      option->run_callback_for_default()->default_val(value);
    } catch (const CLI::Error& e) {
      return absl::InvalidArgumentError(
          absl::StrCat("config file ", path, ": key '", name, "': ", e.what()));
    }
  }
  return absl::OkStatus();
}

std::optional<int> ParseCommandLine(CLI::App& app, int argc, const char* const* argv,
                                    const char* config_env,
                                    const std::vector<std::string>& sections,
                                    const std::string& fallback_path) {
  std::string file = FindConfigPath(argc, argv, config_env);
  if (file.empty() && !fallback_path.empty() && std::filesystem::exists(fallback_path)) {
    file = fallback_path;
  }
  if (!file.empty()) {
    if (absl::Status applied = ApplyConfigFile(app, file, sections); !applied.ok()) {
      std::cerr << "error: " << applied.message() << "\n";
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return std::nullopt;
}

}  // namespace gatehouse
