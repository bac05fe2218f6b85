#include "domain/approval_service.h"

#include <algorithm>
#include <future>
#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gatehouse::core {
namespace {

// Connector calls are made on the applicant's behalf; the audit log names them so.
constexpr std::string_view kApplicantActor = "applicant";
// Expiry and purges are nobody's decision.
constexpr std::string_view kSystemActor = "system";
// Id collisions are rare (30^6 ids a second, see TimeClusteredIdGenerator); a few retries make
// them invisible.
constexpr int kIdAttempts = 5;

ConnectorOutcome Outcome(ConnectorAction action, BlockReason reason,
                         const ApprovalRequest* request) {
  ConnectorOutcome outcome{.action = action, .reason = reason};
  if (request != nullptr) {
    outcome.request_id = request->id;
    outcome.state = request->state;
    if (action == ConnectorAction::kContinue) outcome.returned_claims = request->returned_claims;
  }
  return outcome;
}

// "30 days" for whole days, absl's "36h" otherwise.
std::string DescribeDuration(absl::Duration d) {
  const int64_t hours = absl::ToInt64Hours(d);
  return hours % 24 == 0 && hours > 0 ? absl::StrCat(hours / 24, " days") : absl::FormatDuration(d);
}

absl::Status NoSuchRequest(std::string_view id) {
  return absl::NotFoundError(absl::StrCat("no request with id \"", std::string(id), "\""));
}

// Runs one read on a snapshot of its own and hands back what it read.
template <typename T, typename Read>
absl::StatusOr<T> ReadOnce(RequestStore& store, Read read) {
  absl::StatusOr<T> result = absl::InternalError("read did not run");
  absl::Status status = store.Read([&](RequestRepository& repo) -> absl::Status {
    result = read(repo);
    return result.status();
  });
  if (!status.ok()) return status;
  return result;
}

// "request k3v9 is already approved by alice at 2026-…; only pending requests can be denied"
absl::Status RefusedTransition(const ApprovalRequest& request, const Transition& transition) {
  std::string from;
  for (size_t i = 0; i < transition.from.size(); ++i) {
    if (i > 0) from += i + 1 == transition.from.size() ? " or " : ", ";
    from += std::string(ToString(transition.from[i]));
  }
  std::string by = request.decided_by.empty() ? "" : absl::StrCat(" by ", request.decided_by);
  std::string when =
      request.decided ? absl::StrCat(" at ", absl::FormatTime(absl::RFC3339_sec, *request.decided,
                                                              absl::UTCTimeZone()))
                      : "";
  return absl::FailedPreconditionError(
      absl::StrCat("request ", request.id, " is already ", std::string(ToString(request.state)), by,
                   when, "; only ", from, " requests can be ", std::string(transition.past_tense)));
}

// The stored request that decides for `applicant` (design.md §4, "Matching"): the latest one
// sharing an identity, else, when the applicant's email is verified, the latest whose email is
// the same and was verified too. An unverified email matches nothing, so nobody inherits a
// decision (or returned claims) made for the owner of an address they merely assert, and an
// impostor's denial never blocks that owner. nullopt: a new applicant.
absl::StatusOr<std::optional<ApprovalRequest>> FindMatch(RequestRepository& repo,
                                                         const Applicant& applicant) {
  if (!applicant.identities.empty()) {
    auto by_identity = repo.FindLatestByIdentity(applicant.identities);
    if (!by_identity.ok() || by_identity->has_value()) return by_identity;
  }
  if (!applicant.email_verified) return std::nullopt;
  return repo.FindLatestByEmail(applicant.email, /*verified_only=*/true);
}

AuditEvent EventFor(const ApprovalRequest& request, EventType type, std::string_view actor,
                    std::string_view reason) {
  return AuditEvent{.request_id = request.id,
                    .type = type,
                    .actor = std::string(actor),
                    .reason = std::string(reason),
                    .state_after = request.state,
                    .time = request.updated};
}

}  // namespace

ApprovalService::ApprovalService(RequestStore& store, Clock& clock, IdGenerator& ids,
                                 ApprovalSettings settings)
    : store_(store), clock_(clock), ids_(ids), settings_(settings) {}

Applicant ApprovalService::Prepared(const Applicant& raw) const {
  Applicant applicant = Normalized(raw);
  applicant.email_verified = EmailIsVerified(applicant, settings_.verified_email_issuers);
  return applicant;
}

bool ApprovalService::IsOverdue(const ApprovalRequest& request, absl::Time now) const {
  return request.state == RequestState::kPending && request.pending_since.has_value() &&
         now - *request.pending_since > settings_.pending_ttl;
}

absl::Status ApprovalService::Expire(RequestRepository& repo, ApprovalRequest& request,
                                     absl::Time now) {
  const int64_t expected_version = request.version;
  request.state = RequestState::kExpired;
  request.pending_since.reset();
  request.decided = now;
  request.decided_by = std::string(kSystemActor);
  request.decision_reason =
      absl::StrCat("pending for more than ", DescribeDuration(settings_.pending_ttl));
  request.updated = now;
  request.version += 1;
  if (absl::Status s = repo.Update(request, expected_version); !s.ok()) return s;
  auto event = repo.AppendEvent(
      EventFor(request, EventType::kExpired, kSystemActor, request.decision_reason));
  return event.status();
}

absl::StatusOr<int> ApprovalService::PurgeOverdue(int limit) {
  if (settings_.retention <= absl::ZeroDuration()) return 0;
  int purged = 0;
  absl::Status status = store_.Transact([&](RequestRepository& repo) -> absl::Status {
    const absl::Time now = clock_.Now();
    auto due = repo.ListPurgeable(now - settings_.retention, limit);
    if (!due.ok()) return due.status();
    for (ApprovalRequest& request : *due) {
      if (absl::Status s = repo.Purge(request.id, now); !s.ok()) return s;
      request.updated = now;
      auto event = repo.AppendEvent(
          EventFor(request, EventType::kPurged, kSystemActor,
                   absl::StrCat("personal data removed ", DescribeDuration(settings_.retention),
                                " after the decision")));
      if (!event.ok()) return event.status();
      ++purged;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return purged;
}

absl::StatusOr<int> ApprovalService::ExpireOverdue(int limit) {
  int expired = 0;
  absl::Status status = store_.Transact([&](RequestRepository& repo) -> absl::Status {
    const absl::Time now = clock_.Now();
    auto overdue = repo.ListPendingSince(now - settings_.pending_ttl, limit);
    if (!overdue.ok()) return overdue.status();
    for (ApprovalRequest& request : *overdue) {
      if (absl::Status s = Expire(repo, request, now); !s.ok()) return s;
      ++expired;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return expired;
}

absl::StatusOr<ConnectorOutcome> ApprovalService::CheckApprovalStatus(const Applicant& raw) {
  const Applicant applicant = Prepared(raw);
  if (!IsIdentifiable(applicant)) {
    return Outcome(ConnectorAction::kBlock, BlockReason::kMissingIdentity, nullptr);
  }
  auto latest = ReadOnce<std::optional<ApprovalRequest>>(
      store_, [&](RequestRepository& repo) { return FindMatch(repo, applicant); });
  if (!latest.ok()) return latest.status();
  std::optional<ApprovalRequest>& found = *latest;
  if (!found) {
    const PolicyRule* rule = settings_.policy.FirstMatch(applicant);
    if (rule != nullptr && rule->action == PolicyAction::kDeny) {
      return Outcome(ConnectorAction::kBlock, BlockReason::kAutoDenied, nullptr);
    }
    return Outcome(ConnectorAction::kContinue, BlockReason::kNone, nullptr);
  }
  // Read-only hook: an overdue request counts as expired here; hook 2 or the sweeper records it.
  if (IsOverdue(*found, clock_.Now())) found->state = RequestState::kExpired;

  switch (found->state) {
    case RequestState::kPending:
      return Outcome(ConnectorAction::kBlock, BlockReason::kPending, &*found);
    case RequestState::kApproved:
    case RequestState::kExpired:  // may ask again at hook 2
      return Outcome(ConnectorAction::kContinue, BlockReason::kNone, &*found);
    case RequestState::kDenied:
    case RequestState::kRevoked:
      return Outcome(ConnectorAction::kBlock, BlockReason::kDenied, &*found);
  }
  return absl::InternalError("request in an unknown state");
}

void ApprovalService::RequestApprovalAsync(const Applicant& applicant, OutcomeCallback done) {
  RequestApprovalsAsync({applicant},
                        [done = std::move(done)](size_t, absl::StatusOr<ConnectorOutcome> outcome) {
                          done(std::move(outcome));
                        });
}

void ApprovalService::RequestApprovalsAsync(const std::vector<Applicant>& applicants,
                                            IndexedOutcomeCallback done) {
  std::vector<RequestStore::Transaction> transactions;
  transactions.reserve(applicants.size());
  for (size_t i = 0; i < applicants.size(); ++i) {
    Applicant applicant = Prepared(applicants[i]);
    if (!IsIdentifiable(applicant)) {
      done(i, Outcome(ConnectorAction::kInvalid, BlockReason::kMissingIdentity, nullptr));
      continue;
    }
    // Filled by the transaction, read by its `done` after it; both run on the committing thread.
    auto outcome = std::make_shared<ConnectorOutcome>();
    transactions.push_back(
        {[this, applicant = std::move(applicant), outcome](RequestRepository& repo) {
           return RecordRequest(repo, applicant, *outcome);
         },
         [i, outcome, done](absl::Status status) {
           if (status.ok()) {
             done(i, std::move(*outcome));
           } else {
             done(i, std::move(status));
           }
         }});
  }
  if (!transactions.empty()) store_.TransactAllAsync(std::move(transactions));
}

absl::Status ApprovalService::RecordRequest(RequestRepository& repo, const Applicant& applicant,
                                            ConnectorOutcome& outcome) {
  auto latest = FindMatch(repo, applicant);
  if (!latest.ok()) return latest.status();
  std::optional<ApprovalRequest> existing = *std::move(latest);
  if (existing && IsOverdue(*existing, clock_.Now())) {
    if (absl::Status s = Expire(repo, *existing, clock_.Now()); !s.ok()) return s;
  }

  // No request yet, or only an expired one (kept as history): open a new request.
  if (!existing || existing->state == RequestState::kExpired) {
    auto created = CreateRequest(repo, applicant, existing ? &*existing : nullptr);
    if (!created.ok()) return created.status();
    switch (created->state) {
      case RequestState::kApproved:
        outcome = Outcome(ConnectorAction::kContinue, BlockReason::kNone, &*created);
        break;
      case RequestState::kDenied:
        outcome = Outcome(ConnectorAction::kBlock, BlockReason::kAutoDenied, &*created);
        break;
      default:
        outcome = Outcome(ConnectorAction::kBlock, BlockReason::kRequested, &*created);
    }
    return absl::OkStatus();
  }

  // Seen again (a platform retry or the applicant trying again): count it, create nothing.
  ApprovalRequest request = *std::move(existing);
  const int64_t expected_version = request.version;
  request.attempts += 1;
  request.version += 1;
  request.updated = clock_.Now();
  if (absl::Status s = repo.Update(request, expected_version); !s.ok()) return s;
  auto event = repo.AppendEvent(EventFor(request, EventType::kSeenAgain, kApplicantActor, ""));
  if (!event.ok()) return event.status();

  switch (request.state) {
    case RequestState::kPending:
      outcome = Outcome(ConnectorAction::kBlock, BlockReason::kPending, &request);
      break;
    case RequestState::kApproved:
      outcome = Outcome(ConnectorAction::kContinue, BlockReason::kNone, &request);
      break;
    case RequestState::kDenied:
    case RequestState::kRevoked:
    case RequestState::kExpired:  // handled above; kept for exhaustiveness
      outcome = Outcome(ConnectorAction::kBlock, BlockReason::kDenied, &request);
      break;
  }
  return absl::OkStatus();
}

absl::StatusOr<ApprovalRequest> ApprovalService::CreateRequest(RequestRepository& repo,
                                                               const Applicant& applicant,
                                                               const ApprovalRequest* replaced) {
  const absl::Time now = clock_.Now();
  ApprovalRequest request{.state = RequestState::kPending,
                          .applicant = applicant,
                          .created = now,
                          .updated = now,
                          .attempts = 1,
                          .version = 1};
  EventType event = EventType::kCreated;
  std::string actor(kApplicantActor), reason;
  const PolicyRule* rule = settings_.policy.FirstMatch(applicant);
  if (rule != nullptr && rule->action != PolicyAction::kReview) {
    const bool approve = rule->action == PolicyAction::kApprove;
    request.state = approve ? RequestState::kApproved : RequestState::kDenied;
    request.decided = now;
    request.decided_by = RuleActor(*rule);
    request.decision_reason = "matched rule " + rule->name;
    event = approve ? EventType::kAutoApproved : EventType::kAutoDenied;
    actor = request.decided_by;
    reason = request.decision_reason;
  } else {
    request.pending_since = now;
  }
  // Another request with this address, for the reviewer to compare: the verified owner's if
  // there is one (this applicant's email is then unverified), else the latest (an impostor's,
  // when this is the owner).
  const auto other = [&](const std::optional<ApprovalRequest>& found) {
    return found && (replaced == nullptr || found->id != replaced->id);
  };
  auto same_email = repo.FindLatestByEmail(applicant.email, /*verified_only=*/true);
  if (same_email.ok() && !other(*same_email)) {
    same_email = repo.FindLatestByEmail(applicant.email, /*verified_only=*/false);
  }
  if (!same_email.ok()) return same_email.status();
  if (other(*same_email)) request.same_email_as = (*same_email)->id;
  for (int i = 0; i < kIdAttempts; ++i) {
    request.id = ids_.NewId();
    absl::Status inserted = repo.Insert(request);
    if (absl::IsAlreadyExists(inserted)) continue;
    if (!inserted.ok()) return inserted;
    auto appended = repo.AppendEvent(EventFor(request, event, actor, reason));
    if (!appended.ok()) return appended.status();
    return request;
  }
  return absl::InternalError("could not allocate a unique request id");
}

absl::StatusOr<ApprovalRequest> ApprovalService::Get(std::string_view id) {
  auto found = ReadOnce<std::optional<ApprovalRequest>>(
      store_, [&](RequestRepository& repo) { return repo.FindById(id); });
  if (!found.ok()) return found.status();
  if (!found->has_value()) return NoSuchRequest(id);
  return **std::move(found);
}

absl::StatusOr<RequestPage> ApprovalService::List(const RequestQuery& query) {
  if (query.limit <= 0) return absl::InvalidArgumentError("limit must be positive");
  return ReadOnce<RequestPage>(store_, [&](RequestRepository& repo) { return repo.List(query); });
}

absl::StatusOr<std::vector<AuditEvent>> ApprovalService::ListEvents(const EventQuery& query) {
  if (query.limit <= 0) return absl::InvalidArgumentError("limit must be positive");
  return ReadOnce<std::vector<AuditEvent>>(
      store_, [&](RequestRepository& repo) -> absl::StatusOr<std::vector<AuditEvent>> {
        if (!query.request_id.empty()) {
          auto found = repo.FindById(query.request_id);
          if (!found.ok()) return found.status();
          if (!found->has_value()) return NoSuchRequest(query.request_id);
        }
        return repo.ListEvents(query);
      });
}

absl::StatusOr<std::vector<Change>> ApprovalService::ListChanges(int64_t after_revision,
                                                                 int limit) {
  if (limit <= 0) return absl::InvalidArgumentError("limit must be positive");
  return ReadOnce<std::vector<Change>>(store_, [&](RequestRepository& repo) {
    return repo.ListChanges(after_revision, limit);
  });
}

absl::StatusOr<ApprovalRequest> ApprovalService::FindLatest(const Applicant& raw) {
  const Applicant applicant = Normalized(raw);
  if (!IsIdentifiable(applicant)) {
    return absl::InvalidArgumentError("give an email or a federated identity to look up");
  }
  auto found = ReadOnce<std::optional<ApprovalRequest>>(
      store_, [&](RequestRepository& repo) -> absl::StatusOr<std::optional<ApprovalRequest>> {
        if (!applicant.identities.empty()) return repo.FindLatestByIdentity(applicant.identities);
        auto verified = repo.FindLatestByEmail(applicant.email, /*verified_only=*/true);
        if (!verified.ok() || verified->has_value()) return verified;
        return repo.FindLatestByEmail(applicant.email, /*verified_only=*/false);
      });
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError("no request matches this applicant");
  return **std::move(found);
}

absl::StatusOr<ApprovalRequest> ApprovalService::Apply(ReviewAction action, std::string_view id,
                                                       std::string_view actor,
                                                       std::string_view reason,
                                                       const ReturnedClaims& returned_claims) {
  const Transition& transition = TransitionFor(action);
  if (!returned_claims.empty()) {
    if (action != ReviewAction::kApprove) {
      return absl::InvalidArgumentError("claims can only be set when approving");
    }
    if (absl::Status valid = ValidateReturnedClaims(returned_claims); !valid.ok()) return valid;
  }
  if (transition.reason_required && reason.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("a reason is required for a request to be ",
                                                   std::string(transition.past_tense)));
  }
  ApprovalRequest changed;
  absl::Status status = store_.Transact([&](RequestRepository& repo) -> absl::Status {
    auto found = repo.FindById(id);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return NoSuchRequest(id);
    ApprovalRequest request = **std::move(found);
    if (IsOverdue(request, clock_.Now())) {
      if (absl::Status s = Expire(repo, request, clock_.Now()); !s.ok()) return s;
    }
    if (std::find(transition.from.begin(), transition.from.end(), request.state) ==
        transition.from.end()) {
      return RefusedTransition(request, transition);
    }
    const int64_t expected_version = request.version;
    const absl::Time now = clock_.Now();
    request.state = transition.to;
    request.updated = now;
    request.version += 1;
    // Claims belong to one approval: approving sets them, anything else clears them.
    request.returned_claims = returned_claims;
    if (transition.to == RequestState::kPending) {
      // Back in the queue: the earlier decision lives on in the audit log only.
      request.pending_since = now;
      request.decided.reset();
      request.decided_by.clear();
      request.decision_reason.clear();
    } else {
      request.pending_since.reset();
      request.decided = now;
      request.decided_by = std::string(actor);
      request.decision_reason = std::string(reason);
    }
    if (absl::Status s = repo.Update(request, expected_version); !s.ok()) return s;
    auto event = repo.AppendEvent(EventFor(request, transition.event, actor, reason));
    if (!event.ok()) return event.status();
    changed = std::move(request);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return changed;
}

}  // namespace gatehouse::core
