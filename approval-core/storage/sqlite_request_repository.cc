#include "storage/sqlite_request_repository.h"

#include <sqlite3.h>

#include <charconv>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/matching_keys.h"

namespace gatehouse::core {
namespace {

constexpr const char* kRequestColumns =
    "seq, id, state, email, display_name, given_name, surname, claims_json, locale, client_id, "
    "created_us, updated_us, decided_us, decided_by, decision_reason, attempts, version, "
    "pending_since_us, purged_us, email_verified, same_email_as";
constexpr int kRequestColumnCount = 21;
constexpr const char* kEventColumns =
    "revision, type, actor, reason, state_after, time_us, request_id";

int64_t ToMicros(absl::Time t) { return absl::ToUnixMicros(t); }
absl::Time FromMicros(int64_t us) { return absl::FromUnixMicros(us); }

void BindKey(SQLite::Statement& statement, int index, const MatchingKey& key) {
  statement.bind(index, key.data(), static_cast<int>(key.size()));
}

// "%" and "_" are LIKE wildcards; escape them so a search for "a_b" means just that.
std::string LikePattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  pattern += '%';
  return pattern;
}

}  // namespace

absl::StatusOr<std::optional<ApprovalRequest>> SqliteRequestRepository::FindLatestByIdentity(
    const std::vector<FederatedIdentity>& identities) {
  if (identities.empty()) return std::nullopt;
  std::vector<std::string> keys(identities.size(), "?");
  auto query = statements_.Get(
      absl::StrCat("SELECT ", kRequestColumns,
                   " FROM requests WHERE seq = (SELECT MAX(request_seq) FROM request_identities "
                   "WHERE identity_key IN (",
                   absl::StrJoin(keys, ","), "))"));
  int index = 1;
  for (const FederatedIdentity& identity : identities) {
    BindKey(*query, index++, IdentityKey(identity.issuer, identity.issuer_assigned_id));
  }
  if (!query->executeStep()) return std::nullopt;
  return ReadRequest(*query);
}

absl::StatusOr<std::optional<ApprovalRequest>> SqliteRequestRepository::FindLatestByEmail(
    std::string_view email, bool verified_only) {
  if (email.empty()) return std::nullopt;
  // Uses the partial index requests_by_email_key (WHERE email_key IS NOT NULL), which
  // SQLite knows "=" implies; a test checks the plan, as a full scan once hid here.
  auto query = statements_.Get(
      absl::StrCat("SELECT ", kRequestColumns, " FROM requests WHERE email_key = ?",
                   verified_only ? " AND email_verified = 1" : "", " ORDER BY seq DESC LIMIT 1"));
  BindKey(*query, 1, EmailKey(std::string(email)));
  if (!query->executeStep()) return std::nullopt;
  return ReadRequest(*query);
}

absl::StatusOr<std::optional<ApprovalRequest>> SqliteRequestRepository::FindById(
    std::string_view id) {
  auto query =
      statements_.Get(absl::StrCat("SELECT ", kRequestColumns, " FROM requests WHERE id = ?"));
  query->bind(1, std::string(id));
  if (!query->executeStep()) return std::nullopt;
  return ReadRequest(*query);
}

absl::Status SqliteRequestRepository::Insert(const ApprovalRequest& request) {
  auto insert = statements_.Get(
      "INSERT INTO requests (id, email, email_key, display_name, given_name, surname, "
      "claims_json, locale, client_id, created_us, state, updated_us, decided_us, decided_by, "
      "decision_reason, attempts, version, pending_since_us, email_verified, same_email_as) VALUES "
      "(:id, :email, :email_key, :display_name, :given_name, :surname, :claims_json, :locale, "
      ":client_id, :created, :state, :updated, :decided, :decided_by, :reason, :attempts, "
      ":version, :pending_since, :email_verified, :same_email_as)");
  const Applicant& a = request.applicant;
  insert->bind(":id", request.id);
  insert->bind(":email", a.email);
  const int email_key = insert->getIndex(":email_key");
  if (a.email.empty()) {
    insert->bind(email_key);  // NULL: left out of the index
  } else {
    BindKey(*insert, email_key, EmailKey(a.email));
  }
  insert->bind(":display_name", a.display_name);
  insert->bind(":given_name", a.given_name);
  insert->bind(":surname", a.surname);
  insert->bind(":claims_json", a.claims_json);
  insert->bind(":locale", a.locale);
  insert->bind(":client_id", a.client_id);
  insert->bind(":email_verified", a.email_verified ? 1 : 0);
  insert->bind(":same_email_as", request.same_email_as);
  insert->bind(":created", ToMicros(request.created));
  BindMutable(*insert, request);
  // The id's UNIQUE index answers "is it taken?" in the same step as the insert; a failed
  // step changes nothing, so the caller can try another id.
  try {
    insert->exec();
  } catch (const SQLite::Exception& e) {
    // "UNIQUE constraint failed: requests.id"; a unique column added later is not the id.
    if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE &&
        std::string_view(e.what()).ends_with("requests.id")) {
      return absl::AlreadyExistsError(absl::StrCat("request id ", request.id, " is taken"));
    }
    throw;
  }
  const int64_t seq = db_.getLastInsertRowid();
  auto identity = statements_.Get(
      "INSERT OR IGNORE INTO request_identities (request_seq, "
      "sign_in_type, issuer, issuer_assigned_id, identity_key) "
      "VALUES (?,?,?,?,?)");
  for (const FederatedIdentity& id : a.identities) {
    identity->bind(1, seq);
    identity->bind(2, id.sign_in_type);
    identity->bind(3, id.issuer);
    identity->bind(4, id.issuer_assigned_id);
    BindKey(*identity, 5, IdentityKey(id.issuer, id.issuer_assigned_id));
    identity->exec();
    identity->reset();
  }
  InsertReturnedClaims(seq, request.returned_claims);  // a new row has none to replace
  return absl::OkStatus();
}

absl::Status SqliteRequestRepository::Update(const ApprovalRequest& request,
                                             int64_t expected_version) {
  auto update = statements_.Get(
      "UPDATE requests SET state = :state, updated_us = :updated, decided_us = :decided, "
      "decided_by = :decided_by, decision_reason = :reason, attempts = :attempts, "
      "version = :version, pending_since_us = :pending_since "
      "WHERE id = :id AND version = :expected_version");
  update->bind(":id", request.id);
  update->bind(":expected_version", expected_version);
  BindMutable(*update, request);
  if (update->exec() == 1) {
    auto seq = statements_.Get("SELECT seq FROM requests WHERE id = ?");
    seq->bind(1, request.id);
    seq->executeStep();
    ReplaceReturnedClaims(seq->getColumn(0).getInt64(), request.returned_claims);
    return absl::OkStatus();
  }
  auto current = FindById(request.id);
  if (!current.ok()) return current.status();
  if (!current->has_value()) return absl::NotFoundError(absl::StrCat("no request ", request.id));
  return absl::AbortedError(absl::StrCat("request ", request.id, " was changed concurrently"));
}

absl::StatusOr<int64_t> SqliteRequestRepository::AppendEvent(const AuditEvent& event) {
  // The request is written before its event, in the same transaction; an event for a request
  // that is not there inserts nothing and fails.
  auto insert = statements_.Get(
      "INSERT INTO events (request_seq, request_id, type, actor, reason, state_after, time_us) "
      "SELECT seq, ?1, ?2, ?3, ?4, ?5, ?6 FROM requests WHERE id = ?1");
  insert->bind(1, event.request_id);
  insert->bind(2, std::string(ToString(event.type)));
  insert->bind(3, event.actor);
  insert->bind(4, event.reason);
  insert->bind(5, std::string(ToString(event.state_after)));
  insert->bind(6, ToMicros(event.time));
  if (insert->exec() != 1) {
    return absl::NotFoundError(absl::StrCat("no request ", event.request_id, " to log"));
  }
  appended_events_ = true;
  return db_.getLastInsertRowid();
}

absl::StatusOr<RequestPage> SqliteRequestRepository::List(const RequestQuery& query) {
  int64_t after_seq = 0;
  if (!query.page_token.empty()) {
    const char* begin = query.page_token.data();
    const char* end = begin + query.page_token.size();
    auto [ptr, ec] = std::from_chars(begin, end, after_seq);
    if (ec != std::errc() || ptr != end || after_seq < 0) {
      return absl::InvalidArgumentError("malformed page token");
    }
  }
  std::string sql = absl::StrCat("SELECT ", kRequestColumns, " FROM requests WHERE seq > ?1");
  if (query.state) sql += " AND state = ?2";
  if (!query.search.empty()) {
    sql +=
        " AND (lower(email) LIKE ?3 ESCAPE '\\' OR lower(display_name) LIKE ?3 ESCAPE '\\' OR "
        "lower(given_name) LIKE ?3 ESCAPE '\\' OR lower(surname) LIKE ?3 ESCAPE '\\')";
  }
  sql += " ORDER BY seq LIMIT ?4";
  auto select = statements_.Get(sql);
  select->bind(1, after_seq);
  if (query.state) select->bind(2, std::string(ToString(*query.state)));
  if (!query.search.empty()) select->bind(3, LikePattern(query.search));
  select->bind(4, query.limit + 1);  // one extra row tells whether another page exists
  RequestPage page;
  int64_t last_seq = 0;
  while (select->executeStep()) {
    if (static_cast<int>(page.requests.size()) == query.limit) {
      page.next_page_token = std::to_string(last_seq);
      break;
    }
    last_seq = select->getColumn(0).getInt64();
    auto request = ReadRequest(*select);
    if (!request.ok()) return request.status();
    page.requests.push_back(*std::move(request));
  }
  return page;
}

absl::StatusOr<std::vector<ApprovalRequest>> SqliteRequestRepository::ListPendingSince(
    absl::Time cutoff, int limit) {
  return ListBefore("state = 'pending' AND pending_since_us < :cutoff ORDER BY pending_since_us",
                    cutoff, limit);
}

absl::StatusOr<std::vector<ApprovalRequest>> SqliteRequestRepository::ListPurgeable(
    absl::Time cutoff, int limit) {
  return ListBefore(
      "purged_us IS NULL AND decided_us IS NOT NULL AND decided_us < :cutoff AND "
      "state <> 'pending' ORDER BY decided_us",
      cutoff, limit);
}

absl::Status SqliteRequestRepository::Purge(std::string_view id, absl::Time when) {
  // Everything the applicant told us goes; the matching keys, state, times and deciders
  // (the audit skeleton) stay.
  auto wipe = statements_.Get(
      "UPDATE requests SET email = '', display_name = '', given_name = '', surname = '', "
      "claims_json = '{}', locale = '', client_id = '', purged_us = ?, version = version + 1 "
      "WHERE id = ?");
  wipe->bind(1, ToMicros(when));
  wipe->bind(2, std::string(id));
  if (wipe->exec() != 1) return absl::NotFoundError(absl::StrCat("no request ", std::string(id)));
  auto identities = statements_.Get(  // The key (as hex) stands in for the id: unique within
                                      // the request, as the primary key needs.
      "UPDATE request_identities SET sign_in_type = '', "
      "issuer_assigned_id = lower(hex(identity_key)) "
      "WHERE request_seq = (SELECT seq FROM requests WHERE id = ?)");
  identities->bind(1, std::string(id));
  identities->exec();
  auto claims = statements_.Get(
      "DELETE FROM request_returned_claims WHERE request_seq = "
      "(SELECT seq FROM requests WHERE id = ?)");
  claims->bind(1, std::string(id));
  claims->exec();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AuditEvent>> SqliteRequestRepository::ListEvents(
    const EventQuery& query) {
  auto select = statements_.Get(
      absl::StrCat("SELECT ", kEventColumns, " FROM events WHERE revision > :after",
                   query.request_id.empty()
                       ? ""
                       : " AND request_seq = (SELECT seq FROM requests WHERE id = :request)",
                   " ORDER BY revision LIMIT :limit"));
  select->bind(":after", query.after_revision);
  if (!query.request_id.empty()) select->bind(":request", query.request_id);
  select->bind(":limit", query.limit);
  std::vector<AuditEvent> events;
  while (select->executeStep()) {
    auto event = ReadEvent(*select, 0);
    if (!event.ok()) return event.status();
    events.push_back(*std::move(event));
  }
  return events;
}

absl::StatusOr<std::vector<Change>> SqliteRequestRepository::ListChanges(int64_t after_revision,
                                                                         int limit) {
  // One query for the events and their requests, on one snapshot; the request's identities and
  // returned claims come from their own small tables, by the request's key.
  auto select = statements_.Get(
      absl::StrCat("SELECT ", kRequestColumns, ", ", kEventColumns,
                   " FROM events JOIN requests ON requests.seq = events.request_seq "
                   "WHERE revision > ? ORDER BY revision LIMIT ?"));
  select->bind(1, after_revision);
  select->bind(2, limit);
  std::vector<Change> changes;
  while (select->executeStep()) {
    auto request = ReadRequest(*select);
    if (!request.ok()) return request.status();
    auto event = ReadEvent(*select, kRequestColumnCount);
    if (!event.ok()) return event.status();
    changes.push_back(Change{*std::move(event), *std::move(request)});
  }
  return changes;
}

absl::StatusOr<AuditEvent> SqliteRequestRepository::ReadEvent(SQLite::Statement& row, int first) {
  AuditEvent event{.revision = row.getColumn(first).getInt64(),
                   .request_id = row.getColumn(first + 6).getString(),
                   .actor = row.getColumn(first + 2).getString(),
                   .reason = row.getColumn(first + 3).getString(),
                   .time = FromMicros(row.getColumn(first + 5).getInt64())};
  auto type = ParseEventType(row.getColumn(first + 1).getString());
  auto state = ParseRequestState(row.getColumn(first + 4).getString());
  if (!type || !state) return absl::DataLossError("audit event of unknown type or state");
  event.type = *type;
  event.state_after = *state;
  return event;
}

// Requests matching `where_and_order` (with a :cutoff parameter), at most `limit`.
absl::StatusOr<std::vector<ApprovalRequest>> SqliteRequestRepository::ListBefore(
    const char* where_and_order, absl::Time cutoff, int limit) {
  auto select = statements_.Get(absl::StrCat("SELECT ", kRequestColumns, " FROM requests WHERE ",
                                             where_and_order, " LIMIT :limit"));
  select->bind(":cutoff", ToMicros(cutoff));
  select->bind(":limit", limit);
  std::vector<ApprovalRequest> found;
  while (select->executeStep()) {
    auto request = ReadRequest(*select);
    if (!request.ok()) return request.status();
    found.push_back(*std::move(request));
  }
  return found;
}

// Replaces the request's returned claims with `claims`.
void SqliteRequestRepository::ReplaceReturnedClaims(int64_t seq, const ReturnedClaims& claims) {
  auto clear = statements_.Get("DELETE FROM request_returned_claims WHERE request_seq = ?");
  clear->bind(1, seq);
  clear->exec();
  InsertReturnedClaims(seq, claims);
}

void SqliteRequestRepository::InsertReturnedClaims(int64_t seq, const ReturnedClaims& claims) {
  if (claims.empty()) return;
  auto insert = statements_.Get(
      "INSERT INTO request_returned_claims (request_seq, name, kind, value) "
      "VALUES (?,?,?,?)");
  for (const auto& [name, value] : claims) {
    insert->bind(1, seq);
    insert->bind(2, name);
    if (const auto* text = std::get_if<std::string>(&value)) {
      insert->bind(3, "string");
      insert->bind(4, *text);
    } else if (const auto* integer = std::get_if<int64_t>(&value)) {
      insert->bind(3, "integer");
      insert->bind(4, *integer);
    } else if (const auto* number = std::get_if<double>(&value)) {
      insert->bind(3, "number");
      insert->bind(4, *number);
    } else {
      insert->bind(3, "boolean");
      insert->bind(4, std::get<bool>(value) ? 1 : 0);
    }
    insert->exec();
    insert->reset();
  }
}

// Binds the fields that change over a request's life to their named parameters.
void SqliteRequestRepository::BindMutable(SQLite::Statement& statement, const ApprovalRequest& r) {
  const auto bind_time = [&statement](const char* name, const std::optional<absl::Time>& t) {
    if (t) {
      statement.bind(name, ToMicros(*t));
    } else {
      statement.bind(name);  // NULL
    }
  };
  statement.bind(":state", std::string(ToString(r.state)));
  statement.bind(":updated", ToMicros(r.updated));
  bind_time(":decided", r.decided);
  statement.bind(":decided_by", r.decided_by);
  statement.bind(":reason", r.decision_reason);
  statement.bind(":attempts", r.attempts);
  statement.bind(":version", r.version);
  bind_time(":pending_since", r.pending_since);
}

absl::StatusOr<ApprovalRequest> SqliteRequestRepository::ReadRequest(SQLite::Statement& row) {
  ApprovalRequest r;
  const int64_t seq = row.getColumn(0).getInt64();
  r.id = row.getColumn(1).getString();
  auto state = ParseRequestState(row.getColumn(2).getString());
  if (!state) return absl::DataLossError(absl::StrCat("request ", r.id, " has an unknown state"));
  r.state = *state;
  r.applicant.email = row.getColumn(3).getString();
  r.applicant.display_name = row.getColumn(4).getString();
  r.applicant.given_name = row.getColumn(5).getString();
  r.applicant.surname = row.getColumn(6).getString();
  r.applicant.claims_json = row.getColumn(7).getString();
  r.applicant.locale = row.getColumn(8).getString();
  r.applicant.client_id = row.getColumn(9).getString();
  r.created = FromMicros(row.getColumn(10).getInt64());
  r.updated = FromMicros(row.getColumn(11).getInt64());
  if (!row.getColumn(12).isNull()) r.decided = FromMicros(row.getColumn(12).getInt64());
  r.decided_by = row.getColumn(13).getString();
  r.decision_reason = row.getColumn(14).getString();
  r.attempts = row.getColumn(15).getInt64();
  r.version = row.getColumn(16).getInt64();
  if (!row.getColumn(17).isNull()) r.pending_since = FromMicros(row.getColumn(17).getInt64());
  if (!row.getColumn(18).isNull()) r.purged = FromMicros(row.getColumn(18).getInt64());
  r.applicant.email_verified = row.getColumn(19).getInt() != 0;
  r.same_email_as = row.getColumn(20).getString();

  auto identities = statements_.Get(
      "SELECT sign_in_type, issuer, issuer_assigned_id FROM "
      "request_identities WHERE request_seq = ?");
  identities->bind(1, seq);
  while (identities->executeStep()) {
    r.applicant.identities.push_back({identities->getColumn(0).getString(),
                                      identities->getColumn(1).getString(),
                                      identities->getColumn(2).getString()});
  }

  auto claims = statements_.Get(
      "SELECT name, kind, value FROM request_returned_claims WHERE "
      "request_seq = ? ORDER BY name");
  claims->bind(1, seq);
  while (claims->executeStep()) {
    const std::string kind = claims->getColumn(1).getString();
    const SQLite::Column value = claims->getColumn(2);
    ClaimValue parsed;
    if (kind == "integer") {
      parsed = value.getInt64();
    } else if (kind == "number") {
      parsed = value.getDouble();
    } else if (kind == "boolean") {
      parsed = value.getInt() != 0;
    } else {
      parsed = value.getString();
    }
    r.returned_claims.emplace(claims->getColumn(0).getString(), std::move(parsed));
  }
  return r;
}

}  // namespace gatehouse::core
