// Bearer tokens of Entra custom authentication extensions: every way a token can be wrong is
// refused, with the reason, and only a token exactly as Entra issues it passes.
#include "bearer/token_validator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "bearer/jwks_cache.h"
#include "support/test_jwt.h"

namespace gatehouse::gateway {
namespace {

using gatehouse::testing::EntraClaims;
using gatehouse::testing::JwksOf;
using gatehouse::testing::TestSigner;
using nlohmann::json;

constexpr char kTenant[] = "8c6f2f2a-1111-4d7e-9d39-3c1b1f1a0e55";
constexpr char kAudience[] = "api://gatehouse-approvals";

// A key set file of its own per test, read through the real JwksCache.
class TokenValidatorTest : public ::testing::Test {
 protected:
  TokenValidatorTest() {
    WriteKeys({&signer_});
    EXPECT_TRUE(keys_.Load().ok());
  }
  ~TokenValidatorTest() override { std::filesystem::remove(path_); }

  void WriteKeys(const std::vector<const TestSigner*>& signers) {
    std::ofstream(path_) << JwksOf(signers);
  }

  absl::Status Check(const std::string& token) const {
    return validator_.Validate("Bearer " + token, now_);
  }
  json Claims() const { return EntraClaims(kTenant, kAudience, absl::ToUnixSeconds(now_)); }
  // The reason a token is refused ("" when accepted).
  std::string Refusal(const json& claims) const {
    const absl::Status status = Check(signer_.Token(claims));
    EXPECT_TRUE(status.ok() || absl::IsUnauthenticated(status)) << status;
    return std::string(status.message());
  }

  static inline const TestSigner signer_{"key-1"};
  const std::string path_ = std::filesystem::temp_directory_path() /
                            ("gatehouse-jwks-" + std::to_string(getpid()) + ".json");
  JwksCache keys_{{.location = {.file = path_}, .min_refresh = std::chrono::seconds(0)}};
  TokenValidator validator_{{.tenant_id = kTenant, .audiences = {"other", kAudience}}, keys_};
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

TEST_F(TokenValidatorTest, AcceptsATokenAsEntraIssuesIt) {
  EXPECT_EQ(Refusal(Claims()), "");
  json v1 = Claims();  // v1 tokens: sts.windows.net and appid instead of azp
  v1.erase("azp");
  v1["appid"] = "99045fe1-7639-4a75-9d4a-577b6ca3810f";
  v1["iss"] = std::string("https://sts.windows.net/") + kTenant + "/";
  EXPECT_EQ(Refusal(v1), "");
  json ciam = Claims();
  ciam["iss"] = std::string("https://contoso.ciamlogin.com/") + kTenant + "/v2.0";
  ciam["aud"] = json::array({"x", kAudience});
  EXPECT_EQ(Refusal(ciam), "");
  EXPECT_TRUE(validator_.Validate("bearer " + signer_.Token(Claims()), now_).ok());
}

TEST_F(TokenValidatorTest, RefusesExpiredAndNotYetValidBeyondTheSkew) {
  json claims = Claims();
  claims["exp"] = absl::ToUnixSeconds(now_) - 30;  // within the 60 s skew
  EXPECT_EQ(Refusal(claims), "");
  claims["exp"] = absl::ToUnixSeconds(now_) - 61;
  EXPECT_EQ(Refusal(claims), "bearer token refused: expired");
  claims = Claims();
  claims["nbf"] = absl::ToUnixSeconds(now_) + 120;
  EXPECT_EQ(Refusal(claims), "bearer token refused: not valid yet (nbf)");
  claims.erase("exp");
  claims["nbf"] = absl::ToUnixSeconds(now_);
  EXPECT_EQ(Refusal(claims), "bearer token refused: no expiry (exp)");
}

TEST_F(TokenValidatorTest, RefusesWrongAudienceIssuerTenantOrCaller) {
  json claims = Claims();
  claims["aud"] = "api://someone-else";
  EXPECT_EQ(Refusal(claims), "bearer token refused: wrong audience (aud)");
  for (const std::string& issuer :
       {std::string("https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"),
        std::string("https://login.microsoftonline.com/") + kTenant,
        std::string("https://evil.example/") + kTenant + "/v2.0",
        std::string("https://a.b.ciamlogin.com/") + kTenant + "/v2.0",
        std::string("https://.ciamlogin.com/") + kTenant + "/v2.0",
        std::string("http://login.microsoftonline.com/") + kTenant + "/v2.0"}) {
    claims = Claims();
    claims["iss"] = issuer;
    EXPECT_EQ(Refusal(claims), "bearer token refused: issuer (iss) is not this tenant") << issuer;
  }
  claims = Claims();
  claims["tid"] = "00000000-0000-0000-0000-000000000000";
  EXPECT_EQ(Refusal(claims), "bearer token refused: another tenant (tid)");
  claims = Claims();
  claims["azp"] = "11111111-2222-3333-4444-555555555555";  // a token for another app
  EXPECT_EQ(Refusal(claims), "bearer token refused: not called by Entra (azp/appid)");
  claims.erase("azp");
  EXPECT_EQ(Refusal(claims), "bearer token refused: not called by Entra (azp/appid)");
}

TEST_F(TokenValidatorTest, RefusesForgeriesUnknownKeysAndTampering) {
  const std::string good = signer_.Token(Claims());
  // Tampered payload: the signature no longer matches.
  json richer = Claims();
  richer["aud"] = "api://someone-else";
  const std::string other_payload = signer_.Token(richer);
  const size_t dot1 = good.find('.'), dot2 = good.rfind('.');
  const std::string spliced = good.substr(0, dot1) +
                              other_payload.substr(dot1, other_payload.rfind('.') - dot1) +
                              good.substr(dot2);
  EXPECT_EQ(Check(spliced).message(), "bearer token refused: bad signature");
  std::string flipped = good;
  flipped[flipped.size() - 5] = flipped[flipped.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Check(flipped).message(), "bearer token refused: bad signature");

  // alg none, and HS256 "signed" with the public key: refused before any key is used.
  const std::string none_header = EncodeBase64Url(R"({"alg":"none","kid":"key-1"})");
  EXPECT_EQ(Check(none_header + good.substr(dot1, dot2 - dot1) + ".").message(),
            "bearer token refused: algorithm is not RS256");
  EXPECT_EQ(Check(signer_.Sign({{"alg", "HS256"}, {"kid", "key-1"}}, Claims())).message(),
            "bearer token refused: algorithm is not RS256");
  EXPECT_EQ(Check(signer_.Sign({{"alg", "RS256"}}, Claims())).message(),
            "bearer token refused: no key id (kid)");

  // Signed by a key the tenant does not publish.
  const TestSigner stranger("key-1");  // even with a known kid
  EXPECT_EQ(Check(stranger.Token(Claims())).message(), "bearer token refused: bad signature");
  const TestSigner unknown("key-9");
  EXPECT_EQ(Check(unknown.Token(Claims())).message(),
            "bearer token refused: signed with a key the issuer does not publish");

  for (const char* junk : {"", "abc", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.", "..."}) {
    EXPECT_TRUE(absl::IsUnauthenticated(Check(junk))) << junk;
  }
  EXPECT_TRUE(absl::IsUnauthenticated(validator_.Validate("Basic dXNlcjpwYXNz", now_)));
  EXPECT_TRUE(absl::IsUnauthenticated(validator_.Validate("", now_)));
  EXPECT_TRUE(absl::IsUnauthenticated(Check(std::string(20000, 'a'))));
}

TEST_F(TokenValidatorTest, AnUnknownKeyIdIsRefusedUntilTheKeySetIsReloaded) {
  const TestSigner next("key-2");
  WriteKeys({&signer_, &next});  // Entra publishes the next key
  // No fetch on the request path: refused now, accepted once the set is reloaded.
  EXPECT_EQ(Check(next.Token(Claims())).message(),
            "bearer token refused: signed with a key the issuer does not publish");
  ASSERT_TRUE(keys_.Load().ok());
  EXPECT_EQ(Check(next.Token(Claims())).message(), "");
  EXPECT_TRUE(Check(signer_.Token(Claims())).ok());  // the old key still works
}

// Files of their own per test, removed afterwards.
class JwksFileTest : public ::testing::Test {
 protected:
  ~JwksFileTest() override { std::filesystem::remove(path_); }
  const std::string path_ = std::filesystem::temp_directory_path() /
                            ("gatehouse-jwks-file-" + std::to_string(getpid()) + ".json");
};

TEST_F(JwksFileTest, AnUnknownKeyIdReloadsInTheBackground) {
  const TestSigner first("a"), second("b");
  std::ofstream(path_) << JwksOf({&first});
  JwksCache cache({.location = {.file = path_}, .min_refresh = std::chrono::seconds(0)});
  ASSERT_TRUE(cache.Load().ok());
  cache.StartRefreshing();
  std::ofstream(path_) << JwksOf({&first, &second});
  EXPECT_TRUE(absl::IsNotFound(cache.KeyFor("b").status()));  // at once, asking for a reload
  bool found = false;
  for (int i = 0; i < 200 && !found; ++i) {  // bounded: up to 2 s
    found = cache.KeyFor("b").ok();
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(cache.KeyFor("a").ok());
}

TEST_F(JwksFileTest, AKeySetOverOneMebibyteIsRefused) {
  const TestSigner first("a");
  std::string big = JwksOf({&first});
  big.insert(big.size() - 1, ",\"padding\":\"" + std::string(JwksCache::kMaxBytes, 'x') + "\"");
  std::ofstream(path_) << big;
  JwksCache cache({.location = {.file = path_}});
  const absl::Status loaded = cache.Load();
  EXPECT_TRUE(absl::IsInvalidArgument(loaded)) << loaded;
  EXPECT_NE(loaded.message().find("exceeds 1024 KiB"), absl::string_view::npos) << loaded;
}

TEST(JwksCacheTest, KeysComeOverHttpsOrFromAFileOnly) {
  EXPECT_TRUE(JwksCache::CheckLocation({.url = "https://login.microsoftonline.com/t/keys"}).ok());
  EXPECT_TRUE(JwksCache::CheckLocation({.file = "/etc/gatehouse/keys.json"}).ok());
  for (const char* url : {"http://login.microsoftonline.com/t/keys", "https://host",
                          "ftp://host/keys", "login.microsoftonline.com/t/keys", ""}) {
    const absl::Status refused = JwksCache::CheckLocation({.url = url});
    EXPECT_TRUE(absl::IsInvalidArgument(refused)) << url;
  }
}

TEST(JwksCacheTest, ReloadsAtMostOncePerMinimumInterval) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("gatehouse-jwks-rate-" + std::to_string(getpid()) + ".json");
  const TestSigner first("a"), second("b");
  std::ofstream(path) << JwksOf({&first});
  JwksCache cache({.location = {.file = path}, .min_refresh = std::chrono::seconds(3600)});
  ASSERT_TRUE(cache.Load().ok());
  std::ofstream(path) << JwksOf({&first, &second});
  // Made-up key ids cannot force reloads: "b" stays unknown until the interval passes.
  EXPECT_TRUE(absl::IsNotFound(cache.KeyFor("b").status()));
  EXPECT_TRUE(cache.KeyFor("a").ok());
  std::filesystem::remove(path);
}

TEST(JwksCacheTest, KeySetsWithoutUsableKeysAreErrors) {
  for (const char* bad :
       {"", "[]", R"({"keys":{}})", R"({"keys":[]})",
        R"({"keys":[{"kty":"EC","kid":"x","crv":"P-256","x":"AA","y":"AA"}]})",
        R"({"keys":[{"kty":"RSA","kid":"x","n":"AQAB","e":"AQAB"}]})"}) {  // 17-bit modulus
    EXPECT_FALSE(JwkSet::Parse(bad).ok()) << bad;
  }
  JwksCache missing({.location = {.file = "/nonexistent/jwks.json"}});
  EXPECT_TRUE(absl::IsNotFound(missing.Load()));
  EXPECT_TRUE(absl::IsUnavailable(missing.KeyFor("x").status()) ||
              absl::IsNotFound(missing.KeyFor("x").status()));
}

}  // namespace
}  // namespace gatehouse::gateway
