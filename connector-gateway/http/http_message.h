#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gatehouse::gateway {

// One HTTP/1.1 request as the gateway's own server read it: the head always, the body once it
// was read (bounded; see HttpLimits).
struct HttpRequest {
  std::string method;
  std::string path;  // the target without its query
  std::string version;  // "HTTP/1.1" or "HTTP/1.0"
  std::vector<std::pair<std::string, std::string>> headers;  // in order, as received
  std::string body;  // decoded from chunks when chunked
  std::string remote_addr;
  const SSL* ssl = nullptr;  // the TLS session the request came on; null for plain TCP
  std::chrono::steady_clock::time_point started;  // when its first byte arrived

  // The first value of header `name` (case-insensitive), "" when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // Whether a body follows the head (Content-Length above 0, or chunked).
  bool AnnouncesBody() const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides the ones the server sets
  // Close the connection after this answer (the server also closes when it must).
  bool close = false;
};

// ASCII case-insensitive equality, as header names and tokens compare.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// "OK", "Not Found", ... for the statuses the gateway sends.
const char* ReasonPhrase(int status);

}  // namespace gatehouse::gateway
