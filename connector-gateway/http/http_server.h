#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "common/openssl_ptr.h"
#include "http/http_limits.h"
#include "http/http_message.h"

namespace gatehouse::gateway {

// What the server asks of the application. Called on worker threads, concurrently for
// different connections; must not throw.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // The head is read, the body not yet: an answer now (authentication, routing, media type),
  // or nullopt to read the body and call OnRequest. An early answer to a request that
  // announced a body closes the connection, so the body is never read as a request.
  virtual std::optional<HttpResponse> OnHead(const HttpRequest& request) = 0;
  // The whole request, its body bounded by HttpLimits.
  virtual HttpResponse OnRequest(const HttpRequest& request) = 0;
  // The answer to a request the server refused to read on (malformed: 400; too large: 413,
  // 431; unsupported: 501, 505). `request` holds what was read of it. The connection closes.
  virtual HttpResponse OnMalformed(const HttpRequest& request, int status,
                                   std::string_view message) = 0;
};

using SslContext = OpenSslPtr<SSL_CTX, SSL_CTX_free>;

// The gateway's HTTP/1.1 server (plain or TLS). Connections that are idle, or still sending a
// head or body, wait in epoll and hold no thread; a worker takes a connection only while it
// has bytes to read or a request to answer. Every wait has a deadline (HttpLimits), checked by
// a sweeper, so no client can hold the server by being slow.
class HttpServer {
 public:
  // `tls` null: plain TCP. `handler` must outlive the server.
  HttpServer(HttpHandler& handler, const HttpLimits& limits, SslContext tls);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on host:port (port 0: any free port); returns the port.
  absl::StatusOr<int> Bind(const std::string& host, int port);
  // Serves until Stop(): requests being handled finish, then every connection is closed.
  // Returns false if the server could not run.
  bool Run();
  // Safe from any thread, and before Run().
  void Stop();

 private:
  struct Connection;
  void Work();
  void Sweep();
  void Accept();
  // Reads, parses and answers until the connection would block, then re-arms or closes it.
  void Serve(Connection& connection);
  bool Answer(Connection& connection, HttpResponse response, bool must_close);
  bool WriteAll(Connection& connection, std::string_view bytes);
  // Stops reading requests: sends what is left, then drops whatever the client still sends
  // for a moment so our answer is not destroyed by a reset, and closes.
  void Linger(Connection& connection);
  void Arm(Connection& connection, uint32_t events);
  void Close(Connection& connection);
  std::shared_ptr<Connection> Find(uint64_t id);

  HttpHandler& handler_;
  const HttpLimits limits_;
  SslContext tls_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // an eventfd that ends every worker's wait at Stop()
  std::atomic<bool> stopping_{false};
  std::mutex stop_mutex_;  // guards the sweeper's wait
  std::condition_variable stopped_;

  std::mutex connections_mutex_;
  std::unordered_map<uint64_t, std::shared_ptr<Connection>> connections_;
  std::atomic<uint64_t> next_id_{2};  // 0 and 1 name the listener and the wake-up
};

}  // namespace gatehouse::gateway
