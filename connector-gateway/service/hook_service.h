#pragma once

#include <string>
#include <string_view>

#include "core/core_client.h"
#include "dialect/classic_answer.h"
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

// One classic connector call after authentication: parse, ask the core, render.
// Fails closed: whenever the core's decision is unknown the answer is the
// GATEHOUSE-UNAVAILABLE block page, never Continue. Framework-free so it is tested directly.
class HookService {
 public:
  HookService(CoreClient& core, const MessageCatalog& messages)
      : core_(core), messages_(messages) {}

  // Never throws.
  HookResult Handle(Hook hook, std::string_view body);

 private:
  CoreClient& core_;
  const MessageCatalog& messages_;
};

}  // namespace gatehouse::gateway
