#pragma once

#include <cstddef>
#include <string>

#include "http/http_limits.h"
#include "http/http_message.h"

namespace gatehouse::gateway {

// Reads one HTTP/1.1 request at a time from bytes as they arrive, strictly: CRLF line ends,
// no folded headers, one framing (Content-Length or chunked, never both), every limit counted
// as the bytes come in. Anything ambiguous is an error, so a body can never be taken for the
// next request. Framework-free and single-threaded.
class RequestParser {
 public:
  enum class State {
    kNeedMore,  // feed more bytes
    kHead,      // the head is read: check it, then Parse() on for the body (or answer early)
    kDone,      // the whole request is read
    kError,     // malformed or too large: answer error_status() and close the connection
  };

  explicit RequestParser(const HttpLimits& limits) : limits_(limits) {}

  // Consumes what it can of `input` (erasing it) and says where the request stands.
  State Parse(std::string& input);
  // Ready for the next request on the same connection.
  void Reset();

  // Whether any byte of the current request has arrived (its head deadline is running).
  bool started() const { return started_; }
  HttpRequest& request() { return request_; }
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

 private:
  enum class Phase { kHead, kLength, kChunkSize, kChunkData, kChunkEnd, kTrailer, kDone };

  State Fail(int status, std::string message);
  State ParseHead(std::string& input);
  State ParseBody(std::string& input);
  // Content-Length / Transfer-Encoding into the body phase; kError when they are unusable.
  State DecideFraming();

  const HttpLimits& limits_;
  HttpRequest request_;
  Phase phase_ = Phase::kHead;
  bool started_ = false;
  size_t remaining_ = 0;      // body or chunk bytes still to come
  size_t trailer_bytes_ = 0;  // counted against max_header_bytes
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace gatehouse::gateway
