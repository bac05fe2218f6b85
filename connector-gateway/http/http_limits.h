#pragma once

#include <chrono>
#include <cstddef>

namespace gatehouse::gateway {

// What one client may cost the gateway's HTTP server. Waiting connections (idle, or sending a
// head or body) hold a socket and their buffer, never a worker thread; workers only run
// handlers and write answers. See docs/tls.md for what a front proxy adds.
struct HttpLimits {
  size_t max_body_bytes = 64 * 1024;    // design.md §3: larger bodies get 413
  size_t max_header_bytes = 16 * 1024;  // request line, headers and chunk trailers (431)
  size_t max_header_count = 64;         // header lines (431)
  std::chrono::seconds request_timeout{10};  // a whole head from its first byte; a whole body
                                             // from the end of its head
  std::chrono::seconds idle_timeout{5};     // a connection waiting for its (next) request
  std::chrono::seconds write_timeout{5};    // an answer the client does not take
  size_t threads = 64;              // handlers running at once
  size_t max_connections = 10000;   // beyond this, new connections are closed at once
  size_t keep_alive_max_requests = 1000;
  int listen_backlog = 1024;
};

}  // namespace gatehouse::gateway
