// The standard gRPC services, as stock tools (grpcurl, grpc_health_probe) use them: health
// that tells the truth about the database, and reflection that lists the API. No generated
// code for them is installed on Debian, so the messages are hand-encoded; they are tiny.
#include <SQLiteCpp/Database.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return "";
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// Waits for the completion queue's next event (every call below has a deadline).
bool Next(grpc::CompletionQueue& cq) {
  void* tag = nullptr;
  bool ok = false;
  return cq.Next(&tag, &ok) && ok;
}

// grpc.health.v1.Health/Check for the whole server: 1 SERVING, 2 NOT_SERVING, -1 on error.
int HealthStatus(const std::string& address) {
  grpc::GenericStub stub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  grpc::CompletionQueue cq;
  grpc::Slice empty("");  // HealthCheckRequest{service: ""} encodes to no bytes
  grpc::ByteBuffer request(&empty, 1);
  auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check", request, &cq);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, nullptr);
  Next(cq);
  if (!status.ok()) return -1;
  const std::string bytes = Bytes(response);  // HealthCheckResponse{status}: 0x08 <status>
  return bytes.size() == 2 && bytes[0] == 0x08 ? bytes[1] : -1;
}

// grpc.reflection.v1alpha list_services; returns the raw response (service names inside).
std::string ReflectionListServices(const std::string& address) {
  grpc::GenericStub stub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 10s);
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  call->StartCall(nullptr);
  if (!Next(cq)) return "";
  const char list_services[] = {0x3a, 0x00};  // ServerReflectionRequest{list_services: ""}
  grpc::Slice slice(list_services, sizeof list_services);
  call->Write(grpc::ByteBuffer(&slice, 1), nullptr);
  if (!Next(cq)) return "";
  call->WritesDone(nullptr);
  Next(cq);
  grpc::ByteBuffer response;
  call->Read(&response, nullptr);
  const bool read = Next(cq);
  grpc::Status status;
  call->Finish(&status, nullptr);
  Next(cq);
  return read ? Bytes(response) : "";
}

using StandardServicesTest = StackTest;

TEST_F(StandardServicesTest, ReflectionListsTheApi) {
  const std::string services = ReflectionListServices(CoreAddress());
  for (const char* name : {"approval.v1.ConnectorService", "approval.v1.ReviewService",
                           "approval.v1.StatusService", "grpc.health.v1.Health"}) {
    EXPECT_NE(services.find(name), std::string::npos) << name;
  }
}

TEST_F(StandardServicesTest, HealthIsServingOnlyWhileTheDatabaseCanBeWritten) {
  EXPECT_EQ(HealthStatus(CoreAddress()), 1);
  {
    // Another process holds the write lock: the core can record nothing.
    SQLite::Database other(db_, SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");
    int status = 1;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (status == 1 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(200ms);
      status = HealthStatus(CoreAddress());
    }
    EXPECT_EQ(status, 2);
    auto ready = Http().Get("/readyz");  // the gateway tells its load balancer
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->status, 503) << ready->body;
    // Meanwhile the connector fails closed rather than waiting or letting anyone in.
    ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-UNAVAILABLE", "try again");
    other.exec("ROLLBACK");
  }
  int status = 2;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (status != 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    status = HealthStatus(CoreAddress());
  }
  EXPECT_EQ(status, 1);
  EXPECT_NE(core_->Log().find("health NOT_SERVING"), std::string::npos);
}

}  // namespace
}  // namespace gatehouse::testing
