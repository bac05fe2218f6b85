// Tokens: only hashes are stored; roles are enforced; revocation is immediate.
#include "auth/authenticator.h"

#include <gtest/gtest.h>

#include <regex>

#include "auth/token_secrets.h"
#include "storage/sqlite_token_store.h"
#include "test_support.h"

namespace gatehouse::core {
namespace {

using testing::TempDatabase;

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest() : connection_(db_.Open()), tokens_(*connection_), auth_(tokens_) {}

  std::string Create(const std::string& name, Role role) {
    const std::string secret = GenerateTokenSecret();
    EXPECT_TRUE(tokens_.Insert({.name = name, .role = role, .hash = HashToken(secret)}).ok());
    return secret;
  }

  TempDatabase db_;
  std::unique_ptr<SqliteConnection> connection_;
  SqliteTokenStore tokens_;
  Authenticator auth_;
};

TEST_F(AuthenticatorTest, SecretsAreRandomPrefixedAndStoredOnlyAsHashes) {
  const std::string a = Create("alice", Role::kReviewer);
  const std::string b = GenerateTokenSecret();
  EXPECT_TRUE(std::regex_match(a, std::regex("gh_[A-Za-z0-9_-]{43}"))) << a;
  EXPECT_NE(a, b);
  auto listed = tokens_.List();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].hash, HashToken(a));
  EXPECT_EQ((*listed)[0].hash.size(), 64u);
  auto stored = connection_->db().execAndGet("SELECT group_concat(hash) FROM tokens").getString();
  EXPECT_EQ(stored.find(a), std::string::npos);
}

TEST_F(AuthenticatorTest, AcceptsTheRightRoleAndNamesThePrincipal) {
  const std::string secret = Create("alice", Role::kReviewer);
  auto principal = auth_.Authenticate("Bearer " + secret, {Role::kReviewer, Role::kReader});
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->name, "alice");
  EXPECT_EQ(principal->role, Role::kReviewer);
}

TEST_F(AuthenticatorTest, WrongRoleIsPermissionDenied) {
  const std::string secret = Create("gateway", Role::kConnector);
  auto principal = auth_.Authenticate("Bearer " + secret, {Role::kReviewer});
  EXPECT_EQ(principal.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(principal.status().message().find("needs reviewer"), absl::string_view::npos);
}

TEST_F(AuthenticatorTest, MissingMalformedUnknownAndRevokedAreUnauthenticated) {
  const std::string secret = Create("alice", Role::kReviewer);
  for (const std::string& header : {std::string(""), std::string("Bearer"), "Basic " + secret,
                                    std::string("Bearer gh_unknown"), secret}) {
    EXPECT_EQ(auth_.Authenticate(header, {Role::kReviewer}).status().code(),
              absl::StatusCode::kUnauthenticated)
        << header;
  }
  ASSERT_TRUE(tokens_.Revoke("alice", absl::Now()).ok());
  EXPECT_EQ(auth_.Authenticate("Bearer " + secret, {Role::kReviewer}).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(tokens_.Revoke("alice", absl::Now()).code(), absl::StatusCode::kNotFound);
}

TEST_F(AuthenticatorTest, NamesAreUnique) {
  Create("alice", Role::kReviewer);
  EXPECT_EQ(tokens_.Insert({.name = "alice", .role = Role::kReader, .hash = "x"}).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(TokenSecretsTest, HashIsSha256Hex) {
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("same", "same"));
  EXPECT_FALSE(ConstantTimeEquals("same", "sane"));
  EXPECT_FALSE(ConstantTimeEquals("same", "same!"));
}

}  // namespace
}  // namespace gatehouse::core
