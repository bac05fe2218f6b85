#pragma once

#include <grpcpp/health_check_service_interface.h>

#include <optional>

#include "storage/sqlite_connection.h"

namespace gatehouse::core {

// Keeps grpc.health.v1.Health truthful: SERVING only while the database can take a write
// (the write lock can be had), NOT_SERVING otherwise, so a load balancer or an operator's
// probe sees a core that cannot record anything. Logs each change once.
class DatabaseHealth {
 public:
  DatabaseHealth(SqliteConnection& connection, grpc::HealthCheckServiceInterface& health)
      : connection_(connection), health_(health) {}

  // Probes the database and updates the health status; called periodically.
  void Check();

 private:
  SqliteConnection& connection_;
  grpc::HealthCheckServiceInterface& health_;
  std::optional<bool> last_;
};

}  // namespace gatehouse::core
