#pragma once

#include <string>

#include "app/gateway_options.h"

namespace gatehouse::gateway {

// connector-gateway's composition root: checks `options`, reads the secrets, wires the HTTP
// server to the core client and serves until SIGTERM/SIGINT (blocked by the caller before any
// thread exists). Returns the exit code: 0 after a clean stop, 1 when serving failed, 2 for a
// configuration error (logged).
int RunGateway(GatewayOptions options, const std::string& config_path);

}  // namespace gatehouse::gateway
