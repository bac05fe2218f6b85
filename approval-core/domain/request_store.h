#pragma once

#include <functional>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/applicant.h"
#include "domain/approval_request.h"
#include "domain/audit_event.h"

namespace gatehouse::core {

struct RequestQuery {
  std::optional<RequestState> state;  // nullopt: every state
  std::string search;                 // case-insensitive substring of email or names
  int limit = 50;
  std::string page_token;  // opaque cursor from RequestPage::next_page_token
};

struct RequestPage {
  std::vector<ApprovalRequest> requests;  // oldest first
  std::string next_page_token;            // empty on the last page
};

// An audit event with the request it is about, as that request is now.
struct Change {
  AuditEvent event;
  ApprovalRequest request;
};

struct EventQuery {
  std::string request_id;  // empty: every request
  int64_t after_revision = 0;
  int limit = 100;
};

// The operations available inside one store transaction.
// Errors: INTERNAL or UNAVAILABLE for storage failures; others as documented per method.
class RequestRepository {
 public:
  virtual ~RequestRepository() = default;

  // The most recently created request that has any of these (issuer, issuerAssignedId) pairs;
  // nullopt if none (or `identities` is empty).
  virtual absl::StatusOr<std::optional<ApprovalRequest>> FindLatestByIdentity(
      const std::vector<FederatedIdentity>& identities) = 0;

  // The most recently created request whose (normalized) email equals `email`, among those
  // whose email was verified when `verified_only`, else among all; nullopt if none (or `email`
  // is empty). Purged requests still match: they keep what recognizes the applicant.
  virtual absl::StatusOr<std::optional<ApprovalRequest>> FindLatestByEmail(std::string_view email,
                                                                           bool verified_only) = 0;

  virtual absl::StatusOr<std::optional<ApprovalRequest>> FindById(std::string_view id) = 0;

  // ALREADY_EXISTS when the id is taken.
  virtual absl::Status Insert(const ApprovalRequest& request) = 0;

  // Replaces the stored request with the same id if its version still equals
  // `expected_version`; ABORTED otherwise, NOT_FOUND if the id is unknown.
  virtual absl::Status Update(const ApprovalRequest& request, int64_t expected_version) = 0;

  // Appends to the audit log; returns the revision assigned. NOT_FOUND if no request has the
  // event's request id (write the request first).
  virtual absl::StatusOr<int64_t> AppendEvent(const AuditEvent& event) = 0;

  // INVALID_ARGUMENT for a malformed page token.
  virtual absl::StatusOr<RequestPage> List(const RequestQuery& query) = 0;

  // Pending requests that entered the queue before `cutoff`, oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<ApprovalRequest>> ListPendingSince(absl::Time cutoff,
                                                                        int limit) = 0;

  // Decided requests, not yet purged, decided before `cutoff`; oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<ApprovalRequest>> ListPurgeable(absl::Time cutoff,
                                                                     int limit) = 0;

  // Removes the applicant's personal data from a request (email, names, claims, identity
  // ids, returned claims) and marks it purged at `when`; state, times, deciders and the means
  // to recognize the applicant again stay. NOT_FOUND if the id is unknown.
  virtual absl::Status Purge(std::string_view id, absl::Time when) = 0;

  // Events after `query.after_revision` (of one request if `query.request_id` is set), in
  // revision order, at most `query.limit`.
  virtual absl::StatusOr<std::vector<AuditEvent>> ListEvents(const EventQuery& query) = 0;

  // Events after `after_revision`, each with its request, in revision order, at most `limit`
  // (for watchers: a batch in one read, not a lookup per event).
  virtual absl::StatusOr<std::vector<Change>> ListChanges(int64_t after_revision, int limit) = 0;
};

// Durable storage of requests. Transactions are serialized; reads run beside them.
class RequestStore {
 public:
  using Work = std::function<absl::Status(RequestRepository&)>;
  using Done = std::function<void(absl::Status)>;

  struct Transaction {
    Work work;
    Done done;
  };

  virtual ~RequestStore() = default;

  // Queues `work` to run in a transaction of its own. If it returns OK the transaction is
  // committed, and `done(OK)` is called once it is durable; otherwise everything it did is
  // rolled back and `done` gets its status (or the storage failure's). `work` and `done` run
  // on the thread that commits: the store's writer, or the caller's own before this returns,
  // so the caller must hold no lock that they take. `done` must be short, must not throw, and
  // must not wait for a transaction.
  void TransactAsync(Work work, Done done) {
    std::vector<Transaction> one;
    one.push_back({std::move(work), std::move(done)});
    TransactAllAsync(std::move(one));
  }

  // TransactAsync for each of `transactions`, in order, queued at once so that they share a
  // commit rather than each waiting for a sync of its own. Each is still all-or-nothing on its
  // own, and each `done` hears its own status.
  virtual void TransactAllAsync(std::vector<Transaction> transactions) = 0;

  // TransactAsync, waiting for the outcome. Not to be called from a `done` or a listener.
  absl::Status Transact(absl::FunctionRef<absl::Status(RequestRepository&)> work) {
    std::promise<absl::Status> outcome;
    TransactAsync([work](RequestRepository& repo) { return work(repo); },
                  [&outcome](absl::Status status) { outcome.set_value(std::move(status)); });
    return outcome.get_future().get();
  }

  // Runs read-only `work` on one consistent snapshot of what is committed, without waiting
  // for a transaction in progress. The repository's writing methods fail there.
  virtual absl::Status Read(absl::FunctionRef<absl::Status(RequestRepository&)> work) = 0;

  // `listener` is called after each commit that appended to the audit log, before the callers
  // of its transactions hear, on the committing thread: it must only signal (ChangeFeed), never
  // read or wait. Set it before the first transaction.
  virtual void SetEventListener(std::function<void()> listener) = 0;
};

}  // namespace gatehouse::core
