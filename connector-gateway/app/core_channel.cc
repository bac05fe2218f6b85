#include "app/core_channel.h"

#include "common/keepalive.h"

namespace gatehouse::gateway {

absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenCoreChannel(const std::string& address,
                                                               const TlsFiles& tls) {
  grpc::ChannelArguments channel_args;
  // Reconnect within a second of a core restart instead of backing off for up to two
  // minutes: every second without the core is a second of fail-closed block pages. The
  // "minimum reconnect backoff" is in fact how long one attempt may take to connect (TCP, TLS,
  // HTTP/2 settings): at 100 ms, a core behind a slow link or busy starting failed every
  // attempt for over a second. A refused connection still fails at once.
  channel_args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  channel_args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 1000);
  channel_args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  // A core that vanished without closing the connection (a frozen process, a dropped route)
  // is noticed within kKeepalive * 2 by HTTP/2 pings, even while only the change watch is
  // open: the watch then fails and the decision cache stops serving (approval-core accepts
  // pings this often).
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, kCoreKeepaliveMs);
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kCoreKeepaliveMs);
  channel_args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  channel_args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  auto credentials = ChannelCredentialsFor(tls);
  if (!credentials.ok()) return credentials.status();
  return grpc::CreateCustomChannel(address, *credentials, channel_args);
}

}  // namespace gatehouse::gateway
