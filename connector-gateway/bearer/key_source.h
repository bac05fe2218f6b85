#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "bearer/jwk_set.h"

namespace gatehouse::gateway {

// Where token signatures are checked against: the issuer's published keys.
class KeySource {
 public:
  virtual ~KeySource() = default;
  // The key with this id; NOT_FOUND when the issuer publishes none (after any refresh the
  // source allows), UNAVAILABLE when no key set could be loaded at all.
  virtual absl::StatusOr<PublicKey> KeyFor(const std::string& kid) = 0;
};

}  // namespace gatehouse::gateway
