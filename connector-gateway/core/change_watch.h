#pragma once

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "approval/v1/connector_service.grpc.pb.h"
#include "core/decision_cache.h"

namespace gatehouse::gateway {

// Keeps a ConnectorService.WatchChanges stream open on a thread of its own and tells the
// cache: live once the first notice arrives, a change for every notice, not live the moment
// the stream ends (core restarted, token revoked, network gone). Reconnects with a backoff of
// up to a second. Stops in the destructor.
class ChangeWatch {
 public:
  // `token`: the gateway's connector token.
  ChangeWatch(std::shared_ptr<grpc::Channel> channel, const std::string& token,
              DecisionCache& cache);
  ~ChangeWatch();

 private:
  void Run();
  // One stream, from opening to its end; true if it got at least one notice. `why` gets how
  // it ended.
  bool WatchOnce(std::string& why);

  std::unique_ptr<approval::v1::ConnectorService::Stub> stub_;
  const std::string authorization_;  // "Bearer <token>"; never logged
  DecisionCache& cache_;
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  grpc::ClientContext* context_ = nullptr;  // of the open stream, to cancel it when stopping
  std::thread thread_;                      // last: starts once everything above exists
};

}  // namespace gatehouse::gateway
