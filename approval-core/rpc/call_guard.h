#pragma once

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "auth/authenticator.h"
#include "common/grpc_status.h"

namespace gatehouse::core {

// Wraps every unary handler: counts it as in flight, authenticates the caller, runs the body
// and converts its absl::Status. No exception leaves it (gRPC 1.51 would show the client
// UNIMPLEMENTED with an empty message).
class CallGuard {
 public:
  explicit CallGuard(Authenticator& authenticator) : authenticator_(authenticator) {}

  // `body(const Principal&)` returns an absl::Status.
  template <typename Body>
  grpc::Status Run(const grpc::ServerContextBase& context, std::initializer_list<Role> allowed,
                   Body&& body) {
    InFlight scope(*this);
    try {
      auto principal = Authenticate(context, allowed);
      if (!principal.ok()) return ToGrpcStatus(principal.status());
      const absl::Status status = body(*principal);
      if (IsServerFailure(status)) LogFailure(status);
      return ToGrpcStatus(status);
    } catch (const std::exception& e) {
      LogFailure(absl::InternalError(e.what()));
      return grpc::Status(grpc::StatusCode::INTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
      LogFailure(absl::InternalError("unknown exception"));
      return grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
    }
  }

  // Run for a handler that answers later, from another thread. `body(principal, finish)`
  // returns an absl::Status: not OK ends the call with it at once; OK means `body` handed
  // `finish` on as its last step, and the call ends when `finish(status)` is called, once.
  // `answer` gets the call's gRPC status either way. The call counts as in flight until then.
  template <typename Body>
  void RunAsync(const grpc::ServerContextBase& context, std::initializer_list<Role> allowed,
                std::function<void(grpc::Status)> answer, Body&& body) {
    auto in_flight = std::make_shared<InFlight>(*this);
    auto finish = [this, in_flight, answer](const absl::Status& status) mutable {
      if (IsServerFailure(status)) LogFailure(status);
      answer(ToGrpcStatus(status));
      in_flight.reset();
    };
    absl::Status started;
    try {
      auto principal = Authenticate(context, allowed);
      started = principal.ok() ? body(*principal, std::function<void(absl::Status)>(finish))
                               : principal.status();
    } catch (const std::exception& e) {
      started = absl::InternalError(absl::StrCat("internal error: ", e.what()));
    } catch (...) {
      started = absl::InternalError("internal error");
    }
    if (!started.ok()) finish(started);
  }

  // The caller behind the call's `authorization` metadata, if it has one of `allowed` roles.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context,
                                         const std::vector<Role>& allowed) {
    const auto& metadata = context.client_metadata();
    auto it = metadata.find("authorization");
    std::string_view header;
    if (it != metadata.end()) header = std::string_view(it->second.data(), it->second.size());
    return authenticator_.Authenticate(header, allowed);
  }

  // For failures a handler answers without failing its call (one item of a batch): logged
  // like a failed call's when it is ours.
  void NoteFailure(const absl::Status& status) {
    if (IsServerFailure(status)) LogFailure(status);
  }

  // Waits until no handler is running, or until `deadline`; true if idle. Used at shutdown:
  // gRPC 1.51's Server::Shutdown(deadline) waits for connected clients to hang up, which idle
  // clients never do, so it would always sit out the whole grace period. Waiting for our own
  // handlers first lets shutdown use a short deadline without cutting a call short.
  bool WaitUntilIdle(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return idle_.wait_until(lock, deadline, [this] { return in_flight_ == 0; });
  }

 private:
  // Failures of ours (storage, bugs), as opposed to the caller's (bad request, no such id).
  static bool IsServerFailure(const absl::Status& status) {
    return status.code() == absl::StatusCode::kUnavailable ||
           status.code() == absl::StatusCode::kInternal ||
           status.code() == absl::StatusCode::kDataLoss ||
           status.code() == absl::StatusCode::kUnknown;
  }

  // The operator must see why calls fail (a full disk, say) in approval-core's own log; at most
  // one line a second, with a count of the ones left out, so an outage under load does not
  // flood it.
  void LogFailure(const absl::Status& status) {
    std::lock_guard lock(log_mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now - last_logged_ < std::chrono::seconds(1)) {
      ++suppressed_;
      return;
    }
    spdlog::error("call failed: {}{}", status.ToString(),
                  suppressed_ > 0 ? " (and " + std::to_string(suppressed_) + " more)" : "");
    last_logged_ = now;
    suppressed_ = 0;
  }

  struct InFlight {
    explicit InFlight(CallGuard& guard) : guard_(guard) {
      std::lock_guard lock(guard_.mutex_);
      ++guard_.in_flight_;
    }
    ~InFlight() {
      std::lock_guard lock(guard_.mutex_);
      if (--guard_.in_flight_ == 0) guard_.idle_.notify_all();
    }
    CallGuard& guard_;
  };

  Authenticator& authenticator_;
  std::mutex log_mutex_;
  std::chrono::steady_clock::time_point last_logged_{};
  int suppressed_ = 0;
  std::mutex mutex_;
  std::condition_variable idle_;
  int in_flight_ = 0;
};

}  // namespace gatehouse::core
