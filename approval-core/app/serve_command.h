#pragma once

#include "app/serve_options.h"

namespace gatehouse::core {

// Opens the database, serves gRPC until SIGINT/SIGTERM, then lets in-flight calls finish
// (up to the grace period) and closes the database. Returns the process exit code.
int RunServer(const ServeOptions& options);

}  // namespace gatehouse::core
