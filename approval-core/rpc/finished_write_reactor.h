#pragma once

#include <grpcpp/grpcpp.h>

namespace gatehouse::core {

// A server stream refused before it starts (authentication, bad arguments).
template <typename Response>
class FinishedWriteReactor final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit FinishedWriteReactor(grpc::Status status) { this->Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

}  // namespace gatehouse::core
