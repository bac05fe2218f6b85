#pragma once

#include <iostream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace gatehouse::core {

// How the operator subcommands (token, notify) print times and failures.

inline std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// Exit code 1 and one line on stderr for a failed status.
inline int Fail(const absl::Status& status) {
  std::cerr << "error: " << status.message() << "\n";
  return 1;
}

}  // namespace gatehouse::core
