#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "auth/role.h"
#include "rpc/call_guard.h"

namespace gatehouse::core {

// Who may keep a server stream open. A token holds at most `max_per_token` streams at once,
// and each stream checks its token again before every message it sends and once a second
// (ChangeFeed), so a revoked token's stream ends within that and is sent
// nothing after the revocation is seen.
class StreamAccess {
 public:
  // One open stream's admission; gives its place back when destroyed. Thread-compatible.
  class Pass {
   public:
    ~Pass();
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    // OK while the stream's token is valid and has its role; UNAUTHENTICATED (revoked) or
    // PERMISSION_DENIED otherwise, UNAVAILABLE if the token store cannot be read.
    absl::Status Recheck() const;

   private:
    friend class StreamAccess;
    Pass(StreamAccess& access, const grpc::ServerContextBase& context, std::vector<Role> allowed,
         std::string token_name)
        : access_(access),
          context_(context),
          allowed_(std::move(allowed)),
          token_name_(std::move(token_name)) {}

    StreamAccess& access_;
    const grpc::ServerContextBase& context_;  // its metadata lives as long as the call
    const std::vector<Role> allowed_;
    const std::string token_name_;
  };

  StreamAccess(CallGuard& guard, int max_per_token)
      : guard_(guard), max_per_token_(max_per_token) {}

  // Authenticates the stream's call: UNAUTHENTICATED / PERMISSION_DENIED as for any call,
  // RESOURCE_EXHAUSTED when its token already holds max_per_token open streams. Never throws.
  absl::StatusOr<std::unique_ptr<Pass>> Admit(const grpc::ServerContextBase& context,
                                              std::vector<Role> allowed);

 private:
  void Release(const std::string& token_name);

  CallGuard& guard_;
  const int max_per_token_;
  std::mutex mutex_;
  std::map<std::string, int> open_;  // by token name
};

}  // namespace gatehouse::core
