#pragma once

#include "commands/command_context.h"
#include "commands/verb.h"
#include "terminal/keyboard.h"

namespace gatehouse::cli {

// `reviewer review`: walks the pending queue oldest first, one request at a time. Each key acts
// at once: a approves, d asks for a reason and denies, s skips (for this session), q quits.
// The queue is read again after every step, so requests decided elsewhere drop out and new
// ones join the end. Ends with a summary when the queue is empty or the reviewer quits.
int RunReview(const CommandContext& context, Keyboard& keys);

std::unique_ptr<Verb> AddReviewVerb(CLI::App& app);

}  // namespace gatehouse::cli
