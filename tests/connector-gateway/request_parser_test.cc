// The gateway's HTTP/1.1 request parser: framing, limits counted as bytes arrive, and every
// ambiguity refused (the ways a body gets taken for the next request).
#include "http/request_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace gatehouse::gateway {
namespace {

using State = RequestParser::State;

class RequestParserTest : public ::testing::Test {
 protected:
  RequestParserTest() { limits_.max_body_bytes = 100; }

  // Feeds `bytes` at once and parses through the head into the body.
  State ParseAll(std::string bytes) {
    input_ = std::move(bytes);
    State state = parser_.Parse(input_);
    if (state == State::kHead) state = parser_.Parse(input_);
    return state;
  }

  HttpLimits limits_;
  RequestParser parser_{limits_};
  std::string input_;
};

TEST_F(RequestParserTest, ReadsARequestWithAContentLengthBodyArrivingInPieces) {
  input_ = "POST /api/connectors/check-approval?code=x HTTP/1.1\r\nHost: a\r\n";
  EXPECT_EQ(parser_.Parse(input_), State::kNeedMore);
  EXPECT_TRUE(parser_.started());
  input_ += "Content-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"a\":";
  ASSERT_EQ(parser_.Parse(input_), State::kHead);
  const HttpRequest& request = parser_.request();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/api/connectors/check-approval");
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_TRUE(request.AnnouncesBody());
  EXPECT_EQ(parser_.Parse(input_), State::kNeedMore);
  input_ += "\"bc\"}GET";  // the rest of the body, then the start of a pipelined request
  EXPECT_EQ(parser_.Parse(input_), State::kDone);
  EXPECT_EQ(parser_.request().body, "{\"a\":\"bc\"}");
  EXPECT_EQ(input_, "GET");  // left for the next request
}

TEST_F(RequestParserTest, DecodesChunksWithExtensionsAndTrailers) {
  EXPECT_EQ(ParseAll("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
                     "4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nX-Trailer: y\r\n\r\nnext"),
            State::kDone);
  EXPECT_EQ(parser_.request().body, "{\"a\":1}");
  EXPECT_EQ(input_, "next");
}

TEST_F(RequestParserTest, ABodyOverTheLimitIsRefusedBeforeItIsRead) {
  EXPECT_EQ(ParseAll("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n"), State::kError);
  EXPECT_EQ(parser_.error_status(), 413);
  parser_.Reset();
  // Chunked: the chunk that would cross the limit is refused when announced.
  EXPECT_EQ(ParseAll("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n" +
                     std::string(80, 'a') + "\r\n15\r\n"),
            State::kError);
  EXPECT_EQ(parser_.error_status(), 413);
  parser_.Reset();
  EXPECT_EQ(ParseAll("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "ffffffffffffffffffffffff\r\n"),
            State::kError);
  EXPECT_EQ(parser_.error_status(), 413);
}

TEST_F(RequestParserTest, HeadLimitsAreCountedAsBytesArrive) {
  limits_.max_header_bytes = 64;
  EXPECT_EQ(ParseAll("GET / HTTP/1.1\r\nX-Long: " + std::string(60, 'a')), State::kError);
  EXPECT_EQ(parser_.error_status(), 431);  // without waiting for the end of the head
  parser_.Reset();
  limits_.max_header_bytes = 16 * 1024;
  limits_.max_header_count = 3;
  EXPECT_EQ(ParseAll("GET / HTTP/1.1\r\na: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n\r\n"), State::kError);
  EXPECT_EQ(parser_.error_status(), 431);
}

TEST_F(RequestParserTest, EveryAmbiguousFramingIsRefused) {
  const std::pair<std::string, int> refused[] = {
      {"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 3 3\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\n Folded: yes\r\n\r\n", 400},
      {"POST / HTTP/1.1\nHost: a\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost : a\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\x01\r\n\r\n", 400},
      {"POST http://evil/ HTTP/1.1\r\n\r\n", 400},
      {"POST /  HTTP/1.1\r\n\r\n", 400},
      {"POST / HTTP/2.0\r\n\r\n", 505},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
  };
  for (const auto& [bytes, status] : refused) {
    parser_.Reset();
    EXPECT_EQ(ParseAll(bytes), State::kError) << bytes;
    EXPECT_EQ(parser_.error_status(), status) << bytes;
  }
}

TEST_F(RequestParserTest, ARequestWithoutFramingHasNoBody) {
  input_ = "\r\nGET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET";
  ASSERT_EQ(parser_.Parse(input_), State::kHead);
  EXPECT_FALSE(parser_.request().AnnouncesBody());
  EXPECT_EQ(parser_.Parse(input_), State::kDone);
  EXPECT_EQ(input_, "GET");
  parser_.Reset();
  EXPECT_FALSE(parser_.started());
}

}  // namespace
}  // namespace gatehouse::gateway
