#pragma once

namespace gatehouse {

// How often a gateway pings approval-core over an idle connection, and how long it waits for
// the answer: a silently dead core is noticed within twice this. approval-core accepts pings
// up to twice as often.
inline constexpr int kCoreKeepaliveMs = 3000;

}  // namespace gatehouse
