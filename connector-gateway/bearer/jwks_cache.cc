#include "bearer/jwks_cache.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {

JwksCache::JwksCache(Options options) : options_(std::move(options)) {}

absl::StatusOr<std::string> JwksCache::Fetch() const {
  if (!options_.location.file.empty()) {
    std::ifstream file(options_.location.file);
    if (!file) {
      return absl::NotFoundError(
          absl::StrCat("cannot read the key set file ", options_.location.file));
    }
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
  }
  const std::string& url = options_.location.url;
  const size_t scheme_end = url.find("://");
  const size_t path_start =
      scheme_end == std::string::npos ? std::string::npos : url.find('/', scheme_end + 3);
  if (path_start == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("key set URL ", url, " has no path"));
  }
  httplib::Client client(url.substr(0, path_start));
  if (!client.is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat("key set URL ", url, " is not http(s)"));
  }
  const auto timeout =
      std::chrono::duration_cast<std::chrono::microseconds>(options_.fetch_timeout);
  client.set_connection_timeout(0, static_cast<time_t>(timeout.count()));
  client.set_read_timeout(0, static_cast<time_t>(timeout.count()));
  client.set_follow_location(false);
  auto response = client.Get(url.substr(path_start));
  if (!response) {
    return absl::UnavailableError(absl::StrCat("cannot fetch the key set from ", url, ": ",
                                               httplib::to_string(response.error())));
  }
  if (response->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("the key set URL ", url, " answered HTTP ", response->status));
  }
  return response->body;
}

absl::Status JwksCache::Load() {
  std::lock_guard lock(mutex_);
  return LoadLocked();
}

absl::Status JwksCache::LoadLocked() {
  attempted_ = true;
  attempted_at_ = std::chrono::steady_clock::now();
  auto text = Fetch();
  if (!text.ok()) return text.status();
  auto parsed = JwkSet::Parse(*text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("key set from ", options_.location.url,
                                                   options_.location.file, ": ",
                                                   std::string(parsed.status().message())));
  }
  keys_ = std::make_shared<const JwkSet>(*std::move(parsed));
  loaded_at_ = attempted_at_;
  return absl::OkStatus();
}

void JwksCache::RefreshLocked(std::chrono::steady_clock::time_point now) {
  if (attempted_ && now - attempted_at_ < options_.min_refresh) return;
  const absl::Status loaded = LoadLocked();
  if (!loaded.ok()) {
    spdlog::warn("signing keys not refreshed, keeping the {} known: {}", keys_ ? keys_->size() : 0,
                 std::string(loaded.message()));
  }
}

absl::StatusOr<PublicKey> JwksCache::KeyFor(const std::string& kid) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const bool stale = !keys_ || now - loaded_at_ > options_.max_age;
  if (stale) RefreshLocked(now);
  if (!keys_) return absl::UnavailableError("no signing keys loaded yet");
  if (PublicKey key = keys_->Find(kid)) return key;
  if (!stale) {  // perhaps a key Entra published since (a stale set was just reloaded)
    RefreshLocked(now);
    if (PublicKey key = keys_->Find(kid)) return key;
  }
  return absl::NotFoundError("signed with a key the issuer does not publish");
}

}  // namespace gatehouse::gateway
