#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "bearer/key_source.h"

namespace gatehouse::gateway {

struct JwksLocation {
  std::string url;   // https://host[:port]/path, e.g. Entra's discovery/v2.0/keys
  std::string file;  // or a local copy (air-gapped hosts, tests)
};

// A key set loaded from an https URL or a file and kept in memory. No request ever waits for a
// fetch: the set is reloaded in the background every `refresh`, and a token signed with an
// unknown key id asks for an early reload (Entra publishes a new key long before signing with
// it), at most once per `min_refresh` so made-up key ids cannot make us hammer the endpoint;
// that token is refused meanwhile. A failed reload keeps the old keys. At most 1 MiB is read.
class JwksCache final : public KeySource {
 public:
  static constexpr size_t kMaxBytes = 1024 * 1024;

  struct Options {
    JwksLocation location;
    std::chrono::seconds min_refresh{60};
    std::chrono::seconds refresh{3600};
    std::chrono::milliseconds fetch_timeout{5000};  // off the request path
  };

  explicit JwksCache(Options options) : options_(std::move(options)) {}
  ~JwksCache() override;  // stops the background reloads

  // INVALID_ARGUMENT, naming it, for a URL that is not https://host/path.
  static absl::Status CheckLocation(const JwksLocation& location);

  // Loads the key set now, on the caller's thread (at start-up); the error names the
  // location, never a key.
  absl::Status Load();
  // Starts reloading in the background (see above). Call once.
  void StartRefreshing();

  // The key, from memory only; NOT_FOUND (and an early reload asked for) for an unknown id.
  absl::StatusOr<PublicKey> KeyFor(const std::string& kid) override;

 private:
  absl::StatusOr<std::string> Fetch() const;
  void RefreshLoop();

  const Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<const JwkSet> keys_;
  std::chrono::steady_clock::time_point attempted_at_{};  // the last fetch, good or bad
  bool reload_wanted_ = false;
  bool stopping_ = false;
  std::thread refresher_;
};

}  // namespace gatehouse::gateway
