#include "bearer/jwks_cache.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {
namespace {

// "https://host[:port]/path" -> {"https://host[:port]", "/path"}; nullopt otherwise.
std::optional<std::pair<std::string, std::string>> SplitHttpsUrl(const std::string& url) {
  constexpr std::string_view kScheme = "https://";
  if (!url.starts_with(kScheme)) return std::nullopt;
  const size_t path_start = url.find('/', kScheme.size());
  if (path_start == std::string::npos || path_start == kScheme.size()) return std::nullopt;
  return std::make_pair(url.substr(0, path_start), url.substr(path_start));
}

absl::Status TooLarge(const std::string& where) {
  return absl::InvalidArgumentError(
      absl::StrCat("the key set at ", where, " exceeds ", JwksCache::kMaxBytes / 1024, " KiB"));
}

}  // namespace

JwksCache::~JwksCache() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

absl::Status JwksCache::CheckLocation(const JwksLocation& location) {
  if (!location.file.empty() || SplitHttpsUrl(location.url)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "the key set URL ", location.url,
      " must be https://host/path (keys fetched in clear could be replaced on the way); "
      "use --entra-jwks-file for a local copy"));
}

absl::StatusOr<std::string> JwksCache::Fetch() const {
  if (!options_.location.file.empty()) {
    std::ifstream file(options_.location.file, std::ios::binary);
    if (!file) {
      return absl::NotFoundError(
          absl::StrCat("cannot read the key set file ", options_.location.file));
    }
    std::string content(kMaxBytes + 1, '\0');
    file.read(content.data(), static_cast<std::streamsize>(content.size()));
    content.resize(static_cast<size_t>(file.gcount()));
    if (content.size() > kMaxBytes) return TooLarge(options_.location.file);
    return content;
  }
  const std::string& url = options_.location.url;
  const auto parts = SplitHttpsUrl(url);
  if (!parts) return CheckLocation(options_.location);
  httplib::Client client(parts->first);
  if (!client.is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat("key set URL ", url, " is not usable"));
  }
  client.enable_server_certificate_verification(true);
  const auto timeout =
      std::chrono::duration_cast<std::chrono::microseconds>(options_.fetch_timeout);
  client.set_connection_timeout(0, static_cast<time_t>(timeout.count()));
  client.set_read_timeout(0, static_cast<time_t>(timeout.count()));
  client.set_follow_location(false);
  std::string body;
  bool too_large = false;
  auto response = client.Get(parts->second, [&](const char* data, size_t length) {
    body.append(data, length);
    too_large = body.size() > kMaxBytes;
    return !too_large;  // stop reading at once
  });
  if (too_large) return TooLarge(url);
  if (!response) {
    return absl::UnavailableError(absl::StrCat("cannot fetch the key set from ", url, ": ",
                                               httplib::to_string(response.error())));
  }
  if (response->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("the key set URL ", url, " answered HTTP ", response->status));
  }
  return body;
}

absl::Status JwksCache::Load() {
  {
    std::lock_guard lock(mutex_);
    attempted_at_ = std::chrono::steady_clock::now();
    reload_wanted_ = false;
  }
  auto text = Fetch();  // unlocked: requests go on with the keys they have
  if (!text.ok()) return text.status();
  auto parsed = JwkSet::Parse(*text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("key set from ", options_.location.url,
                                                   options_.location.file, ": ",
                                                   std::string(parsed.status().message())));
  }
  std::lock_guard lock(mutex_);
  keys_ = std::make_shared<const JwkSet>(*std::move(parsed));
  return absl::OkStatus();
}

void JwksCache::StartRefreshing() { refresher_ = std::thread([this] { RefreshLoop(); }); }

void JwksCache::RefreshLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Due: the regular reload, or an early one asked for and allowed by now.
    const auto regular = attempted_at_ + options_.refresh;
    const auto early = attempted_at_ + options_.min_refresh;
    const auto due = reload_wanted_ ? std::min(regular, early) : regular;
    if (std::chrono::steady_clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;  // woken early (a request, or stopping): decide again
    }
    lock.unlock();
    const absl::Status loaded = Load();
    lock.lock();
    if (!loaded.ok()) {
      spdlog::warn("signing keys not refreshed, keeping the {} known: {}",
                   keys_ ? keys_->size() : 0, std::string(loaded.message()));
    }
  }
}

absl::StatusOr<PublicKey> JwksCache::KeyFor(const std::string& kid) {
  std::lock_guard lock(mutex_);
  if (keys_) {
    if (PublicKey key = keys_->Find(kid)) return key;
  }
  // Perhaps a key the issuer published since: reload early (in the background, rate-limited).
  if (!reload_wanted_) {
    reload_wanted_ = true;
    wake_.notify_all();
  }
  if (!keys_) return absl::UnavailableError("no signing keys loaded yet");
  return absl::NotFoundError("signed with a key the issuer does not publish");
}

}  // namespace gatehouse::gateway
