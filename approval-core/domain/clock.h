#pragma once

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace gatehouse::core {

// Injected so that tests control time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

}  // namespace gatehouse::core
