#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>

namespace gatehouse::core {

// libcurl's handles with their deleters, shared by the HTTP and SMTP senders.
struct CurlEasyFree {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyFree>;

// A header or recipient list that frees itself.
class CurlList {
 public:
  void Append(const std::string& item) {
    if (curl_slist* longer = curl_slist_append(list_.get(), item.c_str())) {
      list_.release();
      list_.reset(longer);
    }
  }
  curl_slist* get() const { return list_.get(); }

 private:
  struct Free {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
  };
  std::unique_ptr<curl_slist, Free> list_;
};

struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // without IPv6 brackets
};

// The scheme and host of `url` as libcurl reads it (initializing libcurl once); nullopt if it
// is not a URL.
std::optional<UrlParts> ParseCurlUrl(const std::string& url);

}  // namespace gatehouse::core
