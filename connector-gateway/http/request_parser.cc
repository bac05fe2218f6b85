#include "http/request_parser.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gatehouse::gateway {
namespace {

constexpr std::string_view kCrlf = "\r\n";
// A chunk-size line is a hex number and perhaps extensions; nothing honest is longer.
constexpr size_t kMaxChunkLine = 256;

// RFC 9110 token characters (methods and header names).
bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

// A field value: visible characters, spaces and tabs; no control character (CR, LF, NUL…).
bool IsFieldValue(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

// Without leading and trailing spaces and tabs (optional whitespace, RFC 9110 §5.6.3).
std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A bare LF (not preceded by CR) anywhere in `text`.
bool HasBareLf(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return true;
  }
  return false;
}

}  // namespace

RequestParser::State RequestParser::Fail(int status, std::string message) {
  error_status_ = status;
  error_message_ = std::move(message);
  return State::kError;
}

void RequestParser::Reset() {
  request_ = HttpRequest{};
  phase_ = Phase::kHead;
  started_ = false;
  remaining_ = 0;
  trailer_bytes_ = 0;
  error_status_ = 0;
  error_message_.clear();
}

RequestParser::State RequestParser::Parse(std::string& input) {
  if (error_status_ != 0) return State::kError;
  if (phase_ == Phase::kHead) return ParseHead(input);
  return ParseBody(input);
}

RequestParser::State RequestParser::ParseHead(std::string& input) {
  // RFC 9112 §2.2: empty lines before a request line are ignored.
  if (!started_) {
    size_t skip = 0;
    while (input.compare(skip, 2, kCrlf) == 0) skip += 2;
    input.erase(0, skip);
    if (input.empty() || input == "\r") return State::kNeedMore;
    started_ = true;
  }
  const size_t end = input.find("\r\n\r\n");
  const size_t head_size = end == std::string::npos ? input.size() : end + 4;
  if (HasBareLf(std::string_view(input).substr(0, head_size))) {
    return Fail(400, "lines must end in CRLF");
  }
  if (end == std::string::npos) {
    if (input.size() > limits_.max_header_bytes) {
      return Fail(431, "the request head exceeds its limit");
    }
    return State::kNeedMore;
  }
  if (head_size > limits_.max_header_bytes) return Fail(431, "the request head exceeds its limit");

  std::string_view head(input.data(), end + 2);  // every line with its CRLF
  auto next_line = [&head]() {
    const size_t at = head.find(kCrlf);
    std::string_view line = head.substr(0, at);
    head.remove_prefix(at + 2);
    return line;
  };

  // Request line: METHOD SP request-target SP HTTP-version.
  const std::string_view line = next_line();
  const size_t first = line.find(' ');
  const size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    return Fail(400, "malformed request line");
  }
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, second - first - 1);
  const std::string_view version = line.substr(second + 1);
  if (!IsToken(method)) return Fail(400, "malformed method");
  if (target.empty() || target.front() != '/' || !IsFieldValue(target) ||
      target.find_first_of(" \t") != std::string_view::npos) {
    return Fail(400, "the request target must be a path");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return Fail(505, "only HTTP/1.1 and HTTP/1.0 are served");
  }
  request_.method = std::string(method);
  request_.path = std::string(target.substr(0, target.find('?')));
  request_.version = std::string(version);

  while (!head.empty()) {
    const std::string_view header = next_line();
    if (header.front() == ' ' || header.front() == '\t') {
      return Fail(400, "folded header lines are not accepted");
    }
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos || !IsToken(header.substr(0, colon))) {
      return Fail(400, "malformed header line");
    }
    std::string_view value = Trimmed(header.substr(colon + 1));
    if (!IsFieldValue(value)) return Fail(400, "malformed header value");
    if (request_.headers.size() == limits_.max_header_count) {
      return Fail(431, "too many header lines");
    }
    request_.headers.emplace_back(std::string(header.substr(0, colon)), std::string(value));
  }
  input.erase(0, head_size);
  return DecideFraming();
}

RequestParser::State RequestParser::DecideFraming() {
  int lengths = 0, encodings = 0;
  std::string_view length, encoding;
  for (const auto& [name, value] : request_.headers) {
    if (EqualsIgnoreCase(name, "Content-Length")) {
      ++lengths;
      length = value;
    } else if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
      ++encodings;
      encoding = value;
    }
  }
  // Two framings, or two of one, are how requests get smuggled past a proxy: refuse them.
  if (lengths > 0 && encodings > 0) {
    return Fail(400, "Content-Length and Transfer-Encoding together");
  }
  if (lengths > 1 || encodings > 1) return Fail(400, "the body's framing is given twice");
  if (encodings == 1) {
    if (!EqualsIgnoreCase(encoding, "chunked")) {
      return Fail(501, "only the chunked transfer coding is accepted");
    }
    if (request_.version == "HTTP/1.0") return Fail(400, "chunked is not HTTP/1.0");
    phase_ = Phase::kChunkSize;
    return State::kHead;
  }
  if (lengths == 1) {
    size_t size = 0;
    const auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), size);
    if (error != std::errc() || end != length.data() + length.size() || length.empty()) {
      return Fail(400, "malformed Content-Length");
    }
    if (size > limits_.max_body_bytes) {
      return Fail(413, absl::StrCat("the body exceeds ", limits_.max_body_bytes / 1024, " KiB"));
    }
    remaining_ = size;
    phase_ = size == 0 ? Phase::kDone : Phase::kLength;
    return State::kHead;
  }
  phase_ = Phase::kDone;  // no body (a request cannot be framed by closing the connection)
  return State::kHead;
}

RequestParser::State RequestParser::ParseBody(std::string& input) {
  std::string& body = request_.body;
  size_t used = 0;
  auto result = [&](State state) {
    input.erase(0, used);
    return state;
  };
  // Moves what it can of the remaining_ body bytes from `rest`; true once none remain.
  auto take = [&](std::string_view rest) {
    const size_t count = std::min(remaining_, rest.size());
    body.append(rest.substr(0, count));
    used += count;
    remaining_ -= count;
    return remaining_ == 0;
  };
  while (true) {
    const std::string_view rest = std::string_view(input).substr(used);
    switch (phase_) {
      case Phase::kHead:
        return result(State::kError);  // not reached: Parse() handles the head
      case Phase::kDone:
        return result(State::kDone);
      case Phase::kLength:
        if (!take(rest)) return result(State::kNeedMore);
        phase_ = Phase::kDone;
        break;
      case Phase::kChunkSize: {
        const size_t at = rest.find(kCrlf);
        if (at == std::string_view::npos) {
          if (rest.size() > kMaxChunkLine || HasBareLf(rest)) {
            return result(Fail(400, "malformed chunk"));
          }
          return result(State::kNeedMore);
        }
        std::string_view size_text = rest.substr(0, at);
        size_text = size_text.substr(0, size_text.find(';'));  // chunk extensions are ignored
        size_text = Trimmed(size_text);
        size_t size = 0;
        const auto [end, error] =
            std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
        if (size_text.empty() || error == std::errc::result_out_of_range) {
          return result(Fail(error == std::errc::result_out_of_range ? 413 : 400,
                             "malformed chunk size"));
        }
        if (error != std::errc() || end != size_text.data() + size_text.size()) {
          return result(Fail(400, "malformed chunk size"));
        }
        // Counted as the chunks are announced, before their bytes are read.
        if (size > limits_.max_body_bytes - body.size()) {
          return result(
              Fail(413, absl::StrCat("the body exceeds ", limits_.max_body_bytes / 1024, " KiB")));
        }
        used += at + 2;
        remaining_ = size;
        phase_ = size == 0 ? Phase::kTrailer : Phase::kChunkData;
        break;
      }
      case Phase::kChunkData:
        if (!take(rest)) return result(State::kNeedMore);
        phase_ = Phase::kChunkEnd;
        break;
      case Phase::kChunkEnd:
        if (rest.size() < 2) return result(State::kNeedMore);
        if (!rest.starts_with(kCrlf)) return result(Fail(400, "malformed chunk"));
        used += 2;
        phase_ = Phase::kChunkSize;
        break;
      case Phase::kTrailer: {
        const size_t at = rest.find(kCrlf);
        if (at == std::string_view::npos) {
          if (trailer_bytes_ + rest.size() > limits_.max_header_bytes || HasBareLf(rest)) {
            return result(Fail(431, "the chunk trailer exceeds its limit"));
          }
          return result(State::kNeedMore);
        }
        trailer_bytes_ += at + 2;
        if (trailer_bytes_ > limits_.max_header_bytes) {
          return result(Fail(431, "the chunk trailer exceeds its limit"));
        }
        used += at + 2;
        if (at == 0) phase_ = Phase::kDone;  // the empty line ends the trailer
        break;
      }
    }
  }
}

}  // namespace gatehouse::gateway
