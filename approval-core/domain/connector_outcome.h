#pragma once

#include <optional>
#include <string>

#include "domain/claim_value.h"
#include "domain/request_state.h"

namespace gatehouse::core {

enum class ConnectorAction { kContinue, kBlock, kInvalid };

// Why a sign-up is blocked; the gateway turns it into a user message and a code.
enum class BlockReason { kNone, kPending, kRequested, kDenied, kAutoDenied, kMissingIdentity };

// What a connector hook should answer, decided from local state only.
struct ConnectorOutcome {
  ConnectorAction action = ConnectorAction::kBlock;
  BlockReason reason = BlockReason::kNone;
  std::optional<std::string> request_id;  // the matching (or new) request
  std::optional<RequestState> state;
  ReturnedClaims returned_claims;  // only with kContinue: what the reviewer set on approval

  friend bool operator==(const ConnectorOutcome&, const ConnectorOutcome&) = default;
};

}  // namespace gatehouse::core
