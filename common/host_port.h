#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gatehouse {

struct HostPort {
  std::string host;
  int port = 0;
};

// Splits "host:port" or "[v6]:port" (port 0..65535); nullopt if malformed.
std::optional<HostPort> ParseHostPort(std::string_view text);

}  // namespace gatehouse
