// Secrets from the environment or a *_FILE: an empty one is a start-up error naming it.
#include "common/secret_env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace gatehouse {
namespace {

class SecretEnvTest : public ::testing::Test {
 protected:
  ~SecretEnvTest() override {
    unsetenv("GATEHOUSE_TEST_SECRET");
    unsetenv("GATEHOUSE_TEST_SECRET_FILE");
    std::filesystem::remove(path_);
  }
  const std::string path_ = std::filesystem::temp_directory_path() /
                            ("gatehouse-secret-" + std::to_string(::getpid()));
};

TEST_F(SecretEnvTest, ReadsTheVariableOrElseItsFile) {
  EXPECT_TRUE(absl::IsNotFound(ReadSecret("GATEHOUSE_TEST_SECRET").status()));
  std::ofstream(path_) << "from-file\n";
  setenv("GATEHOUSE_TEST_SECRET_FILE", path_.c_str(), 1);
  EXPECT_EQ(ReadSecret("GATEHOUSE_TEST_SECRET").value_or(""), "from-file");
  setenv("GATEHOUSE_TEST_SECRET", "from-env", 1);
  EXPECT_EQ(ReadSecret("GATEHOUSE_TEST_SECRET").value_or(""), "from-env");
}

TEST_F(SecretEnvTest, AnEmptySecretIsAnErrorNamingItsVariable) {
  setenv("GATEHOUSE_TEST_SECRET", "", 1);
  auto empty = ReadSecret("GATEHOUSE_TEST_SECRET");
  EXPECT_TRUE(absl::IsInvalidArgument(empty.status()));
  EXPECT_EQ(empty.status().message(), "GATEHOUSE_TEST_SECRET is set but empty");
  unsetenv("GATEHOUSE_TEST_SECRET");
  setenv("GATEHOUSE_TEST_SECRET_FILE", "", 1);
  EXPECT_EQ(ReadSecret("GATEHOUSE_TEST_SECRET").status().message(),
            "GATEHOUSE_TEST_SECRET_FILE is set but empty");
  std::ofstream(path_) << "\n";
  setenv("GATEHOUSE_TEST_SECRET_FILE", path_.c_str(), 1);
  EXPECT_EQ(ReadSecret("GATEHOUSE_TEST_SECRET").status().message(),
            "the GATEHOUSE_TEST_SECRET_FILE file is empty");
}

}  // namespace
}  // namespace gatehouse
