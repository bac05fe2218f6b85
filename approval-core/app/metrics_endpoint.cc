#include "app/metrics_endpoint.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "common/host_port.h"

namespace gatehouse::core {

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(const std::string& listen,
                                                                        Render render) {
  const auto address = ParseHostPort(listen);
  if (!address) {
    return absl::InvalidArgumentError(
        absl::StrCat("--metrics-listen must be HOST:PORT, got '", listen, "'"));
  }
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  endpoint->server_ = std::make_unique<httplib::Server>();
  endpoint->server_->new_task_queue = [] { return new httplib::ThreadPool(1); };
  endpoint->server_->Get(
      "/metrics", [render](const httplib::Request&, httplib::Response& response) {
        auto text = render();
        if (!text.ok()) {
          response.status = 503;
          response.set_content(std::string(text.status().message()) + "\n", "text/plain");
          return;
        }
        response.set_content(*text, "text/plain; version=0.0.4");
      });
  const std::string host = address->host;
  if (address->port == 0) {
    endpoint->port_ = endpoint->server_->bind_to_any_port(host);
  } else if (endpoint->server_->bind_to_port(host, address->port)) {
    endpoint->port_ = address->port;
  }
  if (endpoint->port_ <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for metrics on ", listen));
  }
  httplib::Server* server = endpoint->server_.get();
  endpoint->thread_ = std::thread([server] { server->listen_after_bind(); });
  // stop() before the listening loop began would be lost, and the destructor would wait forever.
  while (!server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() {
  server_->stop();
  thread_.join();
}

}  // namespace gatehouse::core
