#pragma once

#include <string>
#include <string_view>

namespace gatehouse::gateway {

// The JSON body of an answer that never reached a decision (bad JSON, authentication, an
// unknown route, ...), the same in every dialect: {"error": …, "message": …}.
std::string ErrorBody(std::string_view error, std::string_view message);

}  // namespace gatehouse::gateway
