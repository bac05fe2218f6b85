#include "http/gateway_metrics.h"

#include <sstream>

namespace gatehouse::gateway {

void GatewayMetrics::RecordRequest(const std::string& route, int status, const std::string& answer,
                                   const std::string& code, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status, answer, code}];
  Histogram& histogram = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++histogram.buckets[i];
      break;
    }
  }
  ++histogram.count;
  histogram.sum += seconds;
}

void GatewayMetrics::RecordCoreFailure(const std::string& grpc_code) {
  std::lock_guard lock(mutex_);
  ++core_failures_[grpc_code];
}

std::string GatewayMetrics::Render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP gatehouse_gateway_requests_total HTTP requests by route, status and answer.\n"
         "# TYPE gatehouse_gateway_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, status, answer, code] = key;
    out << "gatehouse_gateway_requests_total{route=\"" << route << "\",status=\"" << status
        << "\",answer=\"" << answer << "\",code=\"" << code << "\"} " << count << '\n';
  }
  out << "# HELP gatehouse_gateway_request_duration_seconds Time to answer, by route.\n"
         "# TYPE gatehouse_gateway_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : latency_) {
    long cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += histogram.buckets[i];
      out << "gatehouse_gateway_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << kBuckets[i] << "\"} " << cumulative << '\n';
    }
    out << "gatehouse_gateway_request_duration_seconds_bucket{route=\"" << route
        << "\",le=\"+Inf\"} " << histogram.count << '\n'
        << "gatehouse_gateway_request_duration_seconds_sum{route=\"" << route << "\"} "
        << histogram.sum << '\n'
        << "gatehouse_gateway_request_duration_seconds_count{route=\"" << route << "\"} "
        << histogram.count << '\n';
  }
  out << "# HELP gatehouse_gateway_core_failures_total Hook calls that got no decision from "
         "approval-core (answered fail-closed), by gRPC code.\n"
         "# TYPE gatehouse_gateway_core_failures_total counter\n";
  for (const auto& [grpc_code, count] : core_failures_) {
    out << "gatehouse_gateway_core_failures_total{code=\"" << grpc_code << "\"} " << count << '\n';
  }
  return out.str();
}

}  // namespace gatehouse::gateway
