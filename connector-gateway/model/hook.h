#pragma once

#include <string_view>

namespace gatehouse::gateway {

// The two API connector hooks of a sign-up flow (connector-contract.md §1.1).
enum class Hook {
  kCheckApproval,    // "after federating with an identity provider": Continue or block only
  kRequestApproval,  // "before creating the user": may also answer ValidationError
};

// The B2C `step` value Microsoft documents for the hook.
std::string_view ExpectedStep(Hook hook);

}  // namespace gatehouse::gateway
