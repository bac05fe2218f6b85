#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace gatehouse::gateway {

// Counters and a latency histogram for GET /metrics (Prometheus text format 0.0.4).
// Labels are bounded: routes are a fixed set, answers and codes come from our own vocabulary.
class GatewayMetrics {
 public:
  // One finished HTTP request. `route` is a short name ("check-approval", "other", ...).
  void RecordRequest(const std::string& route, int status, const std::string& answer,
                     const std::string& code, double seconds);
  // A hook call where approval-core gave no decision (`grpc_code` such as "UNAVAILABLE").
  void RecordCoreFailure(const std::string& grpc_code);

  std::string Render() const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0};
  struct Histogram {
    std::array<long, kBuckets.size()> buckets{};  // cumulative at render time
    long count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, int, std::string, std::string>, long> requests_;
  std::map<std::string, Histogram> latency_;  // by route
  std::map<std::string, long> core_failures_;
};

}  // namespace gatehouse::gateway
