#include "dialect/error_body.h"

#include <nlohmann/json.hpp>

namespace gatehouse::gateway {

std::string ErrorBody(std::string_view error, std::string_view message) {
  return nlohmann::ordered_json{{"error", error}, {"message", message}}.dump();
}

}  // namespace gatehouse::gateway
