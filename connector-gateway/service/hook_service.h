#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/core_client.h"
#include "dialect/dialect.h"
#include "messages/message_catalog.h"
#include "model/hook.h"

namespace gatehouse::gateway {

// The answer plus what logs and metrics need to know about it.
struct HookResult {
  HttpAnswer answer;
  std::string action;      // Continue, ShowBlockPage, ValidationError, or "rejected" (bad body)
  std::string code;        // the block code, "" for Continue or a rejected body
  std::string request_id;  // the applicant's request, if any
  std::string core_error;  // gRPC code name when approval-core gave no decision, else ""
};

// One hook call in one dialect after authentication: parse, ask the core within the
// dialect's deadline, render. Fails closed: whenever the core's decision is unknown the answer
// is the GATEHOUSE-UNAVAILABLE block page, never Continue. Framework-free so it is tested
// directly.
class HookService {
 public:
  HookService(CoreClient& core, const MessageCatalog& messages, const Dialect& dialect,
              std::chrono::milliseconds deadline)
      : core_(core), messages_(messages), dialect_(dialect), deadline_(deadline) {}

  // Never throws.
  HookResult Handle(Hook hook, std::string_view body);

 private:
  CoreClient& core_;
  const MessageCatalog& messages_;
  const Dialect& dialect_;
  const std::chrono::milliseconds deadline_;
};

}  // namespace gatehouse::gateway
