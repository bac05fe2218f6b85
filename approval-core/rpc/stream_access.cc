#include "rpc/stream_access.h"

#include <exception>

#include "absl/strings/str_cat.h"

namespace gatehouse::core {

absl::StatusOr<std::unique_ptr<StreamAccess::Pass>> StreamAccess::Admit(
    const grpc::ServerContextBase& context, std::vector<Role> allowed) {
  absl::StatusOr<Principal> principal = absl::InternalError("not authenticated");
  try {
    principal = guard_.Authenticate(context, allowed);
  } catch (const std::exception& e) {  // (a handler must not throw)
    return absl::InternalError(absl::StrCat("cannot authenticate: ", e.what()));
  }
  if (!principal.ok()) return principal.status();
  {
    std::lock_guard lock(mutex_);
    int& open = open_[principal->name];
    if (open >= max_per_token_) {
      return absl::ResourceExhaustedError(
          absl::StrCat("token '", principal->name, "' already holds ", open,
                       " open streams (max_streams_per_token); close one first"));
    }
    ++open;
  }
  return std::unique_ptr<Pass>(new Pass(*this, context, std::move(allowed), principal->name));
}

void StreamAccess::Release(const std::string& token_name) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(token_name);
  if (it != open_.end() && --it->second <= 0) open_.erase(it);
}

StreamAccess::Pass::~Pass() { access_.Release(token_name_); }

absl::Status StreamAccess::Pass::Recheck() const {
  auto principal = access_.guard_.Authenticate(context_, allowed_);
  if (!principal.ok()) return principal.status();
  return absl::OkStatus();
}

}  // namespace gatehouse::core
