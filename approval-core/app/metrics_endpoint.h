#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace gatehouse::core {

// approval-core's GET /metrics: a small plain-HTTP listener beside the gRPC port, for a
// Prometheus on the same private network. Everything else is 404.
class MetricsEndpoint {
 public:
  using Render = std::function<absl::StatusOr<std::string>()>;

  // Listens on `listen` (HOST:PORT, port 0: any) and serves `render`'s text; the port taken,
  // or UNAVAILABLE / INVALID_ARGUMENT saying why not.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(const std::string& listen,
                                                                Render render);
  ~MetricsEndpoint();  // stops listening and waits for a scrape in progress

  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace gatehouse::core
