// Settings layering: flag > environment > config file > default, and strict config files.
#include "common/config_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/host_port.h"

namespace gatehouse {
namespace {

class ConfigFileTest : public ::testing::Test {
 protected:
  ConfigFileTest() {
    app_.add_option("--listen", listen_)->envname("GATEHOUSE_TEST_LISTEN");
    app_.add_option("--deadline-ms", deadline_ms_)->check(CLI::Range(10, 60000));
    app_.add_option("--config", config_);
    app_.add_option("--issuers", issuers_)->delimiter(',');
    path_ = std::filesystem::temp_directory_path() /
            ("gatehouse-config-" + std::to_string(::getpid()) + ".toml");
  }
  ~ConfigFileTest() override {
    std::filesystem::remove(path_);
    unsetenv("GATEHOUSE_TEST_LISTEN");
  }

  void WriteConfig(const std::string& text) { std::ofstream(path_) << text; }

  std::optional<int> Parse(std::vector<std::string> args, const std::string& fallback = "") {
    args.insert(args.begin(), "program");
    std::vector<const char*> argv;
    for (const auto& arg : args) argv.push_back(arg.c_str());
    return ParseCommandLine(app_, static_cast<int>(argv.size()), argv.data(), nullptr, {},
                            fallback);
  }

  CLI::App app_;
  std::string listen_ = "default";
  int deadline_ms_ = 1000;
  std::string config_;
  std::vector<std::string> issuers_;
  std::filesystem::path path_;
};

TEST_F(ConfigFileTest, AListKeyFillsAListOption) {
  WriteConfig("issuers = [\"login.fabrikam.com\", \"sts.contoso.com\"]\n");
  EXPECT_EQ(Parse({"--config", path_.string()}), std::nullopt);
  EXPECT_EQ(issuers_, (std::vector<std::string>{"login.fabrikam.com", "sts.contoso.com"}));
  WriteConfig("issuers = []\n");
  issuers_.clear();
  EXPECT_EQ(Parse({"--config", path_.string()}), std::nullopt);
  EXPECT_TRUE(issuers_.empty());
  WriteConfig("issuers = [[\"nested\"]]\n");
  EXPECT_EQ(ApplyConfigFile(app_, path_.string()).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ConfigFileTest, FileBeatsDefault) {
  WriteConfig("listen = \"from-file\"\ndeadline_ms = 250\n");
  EXPECT_EQ(Parse({"--config", path_.string()}), std::nullopt);
  EXPECT_EQ(listen_, "from-file");
  EXPECT_EQ(deadline_ms_, 250);
}

TEST_F(ConfigFileTest, EnvironmentBeatsFile) {
  WriteConfig("listen = \"from-file\"\n");
  setenv("GATEHOUSE_TEST_LISTEN", "from-env", 1);
  EXPECT_EQ(Parse({"--config=" + path_.string()}), std::nullopt);
  EXPECT_EQ(listen_, "from-env");
}

TEST_F(ConfigFileTest, FlagBeatsEverything) {
  WriteConfig("listen = \"from-file\"\n");
  setenv("GATEHOUSE_TEST_LISTEN", "from-env", 1);
  EXPECT_EQ(Parse({"--config", path_.string(), "--listen", "from-flag"}), std::nullopt);
  EXPECT_EQ(listen_, "from-flag");
}

TEST_F(ConfigFileTest, UnknownKeysInvalidValuesAndMissingFilesAreUsageErrors) {
  WriteConfig("lisen = \"typo\"\n");
  EXPECT_EQ(ApplyConfigFile(app_, path_.string()).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(ApplyConfigFile(app_, path_.string()).message().find("unknown key 'lisen'"),
            absl::string_view::npos);
  WriteConfig("deadline_ms = 5\n");
  EXPECT_NE(ApplyConfigFile(app_, path_.string()).message().find("key 'deadline_ms'"),
            absl::string_view::npos);
  WriteConfig("listen = [1, 2]\n");  // not a list option
  EXPECT_EQ(ApplyConfigFile(app_, path_.string()).code(), absl::StatusCode::kInvalidArgument);
  WriteConfig("listen = \n");
  EXPECT_NE(ApplyConfigFile(app_, path_.string()).message().find("at line 1"),
            absl::string_view::npos);
  EXPECT_EQ(Parse({"--config", "/nonexistent.toml"}), 2);
}

TEST_F(ConfigFileTest, FallbackFileIsOptionalAndYieldsToANamedOne) {
  EXPECT_EQ(Parse({}, "/nonexistent/reviewer.toml"), std::nullopt);  // absent: defaults
  EXPECT_EQ(listen_, "default");
  WriteConfig("listen = \"from-fallback\"\n");
  EXPECT_EQ(Parse({}, path_.string()), std::nullopt);
  EXPECT_EQ(listen_, "from-fallback");
  EXPECT_EQ(Parse({"--config", "/nonexistent.toml"}, path_.string()), 2);  // named: must exist
  WriteConfig("lisen = \"typo\"\n");
  EXPECT_EQ(Parse({}, path_.string()), 2);  // present: as strict as a named one
}

TEST(HostPortTest, ParsesHostsPortsAndIpv6) {
  auto v4 = ParseHostPort("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 8080);
  auto v6 = ParseHostPort("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  for (const char* bad : {"", "host", ":80", "host:", "host:70000", "host:-1", "host:8o"}) {
    EXPECT_FALSE(ParseHostPort(bad)) << bad;
  }
}

}  // namespace
}  // namespace gatehouse
