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

// Whether `host` names only this machine: "localhost", 127.0.0.0/8 or ::1. "0.0.0.0", "::"
// and every other address can be reached from elsewhere.
bool IsLoopbackHost(std::string_view host);

}  // namespace gatehouse
