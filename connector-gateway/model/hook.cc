#include "model/hook.h"

namespace gatehouse::gateway {

std::string_view ExpectedStep(Hook hook) {
  return hook == Hook::kCheckApproval ? "PostFederationSignup" : "PostAttributeCollection";
}

}  // namespace gatehouse::gateway
