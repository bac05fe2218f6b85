#include "http/http_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "http/request_parser.h"

namespace gatehouse::gateway {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kListenerId = 0;
constexpr uint64_t kWakeId = 1;
constexpr size_t kReadChunk = 16 * 1024;
constexpr auto kSweepInterval = std::chrono::milliseconds(250);
// After an early answer the client may still be sending its body: it is read and dropped for
// this long, up to this much, before the close (a close with unread data resets the connection
// and can destroy the answer before the client reads it).
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kLingerBytes = 1024 * 1024;


std::string PeerAddress(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text, sizeof text);
  } else if (address.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text,
              sizeof text);
  }
  return text;
}

int MillisecondsUntil(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

}  // namespace

struct HttpServer::Connection {
  Connection(uint64_t connection_id, int socket, const HttpLimits& limits)
      : id(connection_id), fd(socket), parser(limits) {}

  const uint64_t id;
  const int fd;
  OpenSslPtr<SSL, SSL_free> ssl;
  bool handshake_done = false;
  std::string remote_addr;
  std::string in;  // read, not yet parsed: at most one read past a head's limit
  RequestParser parser;
  bool head_seen = false;  // the current request's head deadline (or body deadline) is set
  size_t served = 0;
  bool lingering = false;
  size_t lingered_bytes = 0;
  Clock::time_point deadline;

  std::mutex mutex;  // held by the worker serving it, or by the sweeper closing it
  bool closed = false;
};

HttpServer::HttpServer(HttpHandler& handler, const HttpLimits& limits, SslContext tls)
    : handler_(handler), limits_(limits), tls_(std::move(tls)) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event wake{.events = EPOLLIN, .data = {.u64 = kWakeId}};  // level-triggered: wakes all
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
}

HttpServer::~HttpServer() {
  for (auto& [id, connection] : connections_) ::close(connection->fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

absl::StatusOr<int> HttpServer::Bind(const std::string& host, int port) {
  addrinfo hints{.ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM};
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("cannot resolve listen address ", host));
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, freeaddrinfo);
  const int fd = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  // SO_REUSEADDR allows a restart while old connections sit in TIME_WAIT; no SO_REUSEPORT, so
  // a second gateway cannot silently share the port.
  int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (fd < 0 || ::bind(fd, found->ai_addr, found->ai_addrlen) != 0 ||
      ::listen(fd, limits_.listen_backlog) != 0) {
    if (fd >= 0) ::close(fd);
    return absl::UnavailableError(absl::StrCat("cannot listen on ", host, ":", port));
  }
  sockaddr_storage bound{};
  socklen_t size = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &size);
  listen_fd_ = fd;
  epoll_event event{.events = EPOLLIN | EPOLLONESHOT, .data = {.u64 = kListenerId}};
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &event);
  return ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(bound).sin6_port
                                           : reinterpret_cast<sockaddr_in&>(bound).sin_port);
}

bool HttpServer::Run() {
  if (listen_fd_ < 0 || epoll_fd_ < 0 || wake_fd_ < 0) return false;
  std::vector<std::thread> workers;
  for (size_t i = 0; i < limits_.threads; ++i) workers.emplace_back([this] { Work(); });
  Sweep();  // on this thread, until Stop()
  for (std::thread& worker : workers) worker.join();
  std::lock_guard lock(connections_mutex_);
  for (auto& [id, connection] : connections_) ::close(connection->fd);
  connections_.clear();
  return true;
}

void HttpServer::Stop() {
  stopping_ = true;
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
  std::lock_guard lock(stop_mutex_);
  stopped_.notify_all();
}

void HttpServer::Work() {
  while (!stopping_) {
    epoll_event event{};
    if (epoll_wait(epoll_fd_, &event, 1, -1) != 1) continue;  // EINTR
    if (event.data.u64 == kWakeId) break;
    if (event.data.u64 == kListenerId) {
      Accept();
      continue;
    }
    const std::shared_ptr<Connection> connection = Find(event.data.u64);
    if (connection == nullptr) continue;  // closed meanwhile
    std::lock_guard lock(connection->mutex);
    if (!connection->closed) Serve(*connection);
  }
}

void HttpServer::Sweep() {
  std::unique_lock stop_lock(stop_mutex_);
  while (!stopping_) {
    stopped_.wait_for(stop_lock, kSweepInterval);
    std::vector<std::shared_ptr<Connection>> all;
    {
      std::lock_guard lock(connections_mutex_);
      all.reserve(connections_.size());
      for (auto& [id, connection] : connections_) all.push_back(connection);
    }
    const Clock::time_point now = Clock::now();
    for (const std::shared_ptr<Connection>& connection : all) {
      // A connection a worker holds is being answered; handlers have deadlines of their own.
      std::unique_lock lock(connection->mutex, std::try_to_lock);
      if (lock.owns_lock() && !connection->closed && now >= connection->deadline) {
        Close(*connection);
      }
    }
  }
}

void HttpServer::Accept() {
  while (true) {
    sockaddr_storage peer{};
    socklen_t size = sizeof peer;
    const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &size,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) break;  // EAGAIN: all taken; EMFILE and the like: try again on the next event
    // Without TCP_NODELAY every answer waits ~40 ms on Nagle + delayed ACK.
    int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    // Whole before anyone else can see it: the sweeper reads its deadline as soon as it is in
    // connections_, and a worker serves it as soon as it is in epoll.
    auto connection = std::make_shared<Connection>(next_id_++, fd, limits_);
    connection->remote_addr = PeerAddress(peer);
    // A new connection's handshake and first request are due like a head.
    connection->deadline = Clock::now() + (tls_ ? limits_.request_timeout : limits_.idle_timeout);
    if (tls_) {
      connection->ssl.reset(SSL_new(tls_.get()));
      SSL_set_fd(connection->ssl.get(), fd);
      SSL_set_accept_state(connection->ssl.get());
      SSL_set_mode(connection->ssl.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    }
    {
      std::lock_guard lock(connections_mutex_);
      if (connections_.size() >= limits_.max_connections) {
        ::close(fd);
        continue;
      }
      connections_.emplace(connection->id, connection);
    }
    epoll_event event{.events = EPOLLIN | EPOLLONESHOT, .data = {.u64 = connection->id}};
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }
  epoll_event event{.events = EPOLLIN | EPOLLONESHOT, .data = {.u64 = kListenerId}};
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &event);
}

std::shared_ptr<HttpServer::Connection> HttpServer::Find(uint64_t id) {
  std::lock_guard lock(connections_mutex_);
  auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second;
}

void HttpServer::Arm(Connection& connection, uint32_t events) {
  epoll_event event{.events = events | EPOLLONESHOT, .data = {.u64 = connection.id}};
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connection.fd, &event) != 0) Close(connection);
}

void HttpServer::Close(Connection& connection) {
  connection.closed = true;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, connection.fd, nullptr);
  ::close(connection.fd);
  std::lock_guard lock(connections_mutex_);
  connections_.erase(connection.id);
}

void HttpServer::Serve(Connection& c) {
  std::array<char, kReadChunk> buffer;
  while (true) {
    if (c.lingering) {  // drop what arrives until the client is done, the budget or the time
      const ssize_t n = ::recv(c.fd, buffer.data(), buffer.size(), 0);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Arm(c, EPOLLIN);
      c.lingered_bytes += n > 0 ? static_cast<size_t>(n) : 0;
      if (n <= 0 || c.lingered_bytes > kLingerBytes) return Close(c);
      continue;
    }
    if (c.ssl && !c.handshake_done) {
      ERR_clear_error();
      const int done = SSL_accept(c.ssl.get());
      if (done != 1) {
        const int error = SSL_get_error(c.ssl.get(), done);
        if (error == SSL_ERROR_WANT_READ) return Arm(c, EPOLLIN);
        if (error == SSL_ERROR_WANT_WRITE) return Arm(c, EPOLLOUT);
        return Close(c);
      }
      c.handshake_done = true;
      c.deadline = Clock::now() + limits_.idle_timeout;
    }

    const RequestParser::State state = c.parser.Parse(c.in);
    if (c.parser.started() && !c.head_seen) {
      c.head_seen = true;
      c.parser.request().started = Clock::now();
      c.deadline = c.parser.request().started + limits_.request_timeout;
    }
    switch (state) {
      case RequestParser::State::kError:
        c.parser.request().remote_addr = c.remote_addr;
        Answer(c,
               handler_.OnMalformed(c.parser.request(), c.parser.error_status(),
                                    c.parser.error_message()),
               true);
        return;
      case RequestParser::State::kHead: {
        HttpRequest& request = c.parser.request();
        request.remote_addr = c.remote_addr;
        request.ssl = c.ssl.get();
        if (std::optional<HttpResponse> early = handler_.OnHead(request)) {
          // The announced body is not read: it must not be taken for the next request.
          if (!Answer(c, *std::move(early), request.AnnouncesBody())) return;
          continue;
        }
        c.deadline = Clock::now() + limits_.request_timeout;
        if (EqualsIgnoreCase(request.Header("Expect"), "100-continue") &&
            !WriteAll(c, "HTTP/1.1 100 Continue\r\n\r\n")) {
          return Close(c);
        }
        continue;
      }
      case RequestParser::State::kDone:
        if (!Answer(c, handler_.OnRequest(c.parser.request()), false)) return;
        continue;
      case RequestParser::State::kNeedMore:
        break;
    }

    ssize_t n = 0;
    if (c.ssl) {
      ERR_clear_error();
      const int read = SSL_read(c.ssl.get(), buffer.data(), static_cast<int>(buffer.size()));
      if (read <= 0) {
        const int error = SSL_get_error(c.ssl.get(), read);
        if (error == SSL_ERROR_WANT_READ) return Arm(c, EPOLLIN);
        if (error == SSL_ERROR_WANT_WRITE) return Arm(c, EPOLLOUT);
        return Close(c);
      }
      n = read;
    } else {
      n = ::recv(c.fd, buffer.data(), buffer.size(), 0);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Arm(c, EPOLLIN);
      if (n <= 0) return Close(c);
    }
    c.in.append(buffer.data(), static_cast<size_t>(n));
  }
}

bool HttpServer::Answer(Connection& c, HttpResponse response, bool must_close) {
  const HttpRequest& request = c.parser.request();
  const bool close = must_close || response.close || stopping_ || request.version != "HTTP/1.1" ||
                     EqualsIgnoreCase(request.Header("Connection"), "close") ||
                     ++c.served >= limits_.keep_alive_max_requests;
  response.close = close;
  std::string bytes = absl::StrCat("HTTP/1.1 ", response.status, " ",
                                   ReasonPhrase(response.status), "\r\nContent-Type: ",
                                   response.content_type, "\r\nContent-Length: ",
                                   response.body.size(), "\r\n");
  for (const auto& [name, value] : response.headers) absl::StrAppend(&bytes, name, ": ", value, "\r\n");
  absl::StrAppend(&bytes, close ? "Connection: close\r\n\r\n" : "\r\n", response.body);
  if (!WriteAll(c, bytes)) {
    Close(c);
    return false;
  }
  if (close) {
    Linger(c);
    return false;
  }
  c.parser.Reset();
  c.head_seen = false;
  c.deadline = Clock::now() + limits_.idle_timeout;
  return true;
}

bool HttpServer::WriteAll(Connection& c, std::string_view bytes) {
  const Clock::time_point deadline = Clock::now() + limits_.write_timeout;
  while (!bytes.empty()) {
    short wait_for = POLLOUT;
    if (c.ssl) {
      ERR_clear_error();
      const int written = SSL_write(c.ssl.get(), bytes.data(), static_cast<int>(bytes.size()));
      if (written > 0) {
        bytes.remove_prefix(static_cast<size_t>(written));
        continue;
      }
      const int error = SSL_get_error(c.ssl.get(), written);
      if (error == SSL_ERROR_WANT_READ) {
        wait_for = POLLIN;
      } else if (error != SSL_ERROR_WANT_WRITE) {
        return false;
      }
    } else {
      const ssize_t written = ::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (written > 0) {
        bytes.remove_prefix(static_cast<size_t>(written));
        continue;
      }
      if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    }
    pollfd ready{.fd = c.fd, .events = wait_for};
    if (poll(&ready, 1, MillisecondsUntil(deadline)) <= 0) return false;  // too slow, or gone
  }
  return true;
}

void HttpServer::Linger(Connection& c) {
  if (c.ssl) SSL_shutdown(c.ssl.get());  // close_notify; the client's answer is not awaited
  ::shutdown(c.fd, SHUT_WR);
  c.lingering = true;
  c.deadline = Clock::now() + kLingerTime;
  c.in.clear();
  Serve(c);
}

}  // namespace gatehouse::gateway
