#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "bearer/key_source.h"

namespace gatehouse::gateway {

struct JwksLocation {
  std::string url;   // http(s)://host[:port]/path, e.g. Entra's discovery/v2.0/keys
  std::string file;  // or a local copy (air-gapped hosts, tests)
};

// A key set loaded from a URL or a file and kept in memory. Entra rotates its signing keys by
// publishing the new one first, so an unknown key id triggers a reload, but at most once per
// `min_refresh`: a caller sending made-up key ids must not make us hammer the key endpoint.
// Keys older than `max_age` are reloaded on the next use; a failed reload keeps the old keys.
class JwksCache final : public KeySource {
 public:
  struct Options {
    JwksLocation location;
    std::chrono::seconds min_refresh{60};
    std::chrono::seconds max_age{24 * 3600};
    std::chrono::milliseconds fetch_timeout{500};  // inside Entra's 1 s budget
  };

  explicit JwksCache(Options options);

  // Loads the key set now; the error names the location, never a key.
  absl::Status Load();
  absl::StatusOr<PublicKey> KeyFor(const std::string& kid) override;

 private:
  absl::StatusOr<std::string> Fetch() const;
  absl::Status LoadLocked();
  // Reloads if the last attempt is older than min_refresh. Caller holds mutex_.
  void RefreshLocked(std::chrono::steady_clock::time_point now);

  const Options options_;
  std::mutex mutex_;  // held across a reload, so concurrent misses cause one fetch
  std::shared_ptr<const JwkSet> keys_;
  std::chrono::steady_clock::time_point loaded_at_{};
  std::chrono::steady_clock::time_point attempted_at_{};
  bool attempted_ = false;
};

}  // namespace gatehouse::gateway
