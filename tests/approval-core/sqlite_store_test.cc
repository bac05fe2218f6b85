// SQLite storage: durability across reopen, schema versioning, listing, id collisions.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <deque>
#include <functional>
#include <thread>

#include "domain/approval_service.h"
#include "storage/schema.h"
#include "storage/sqlite_request_store.h"
#include "system/time_clustered_id_generator.h"
#include "test_support.h"

namespace gatehouse::core {
namespace {

using testing::FakeClock;
using testing::SequentialIds;
using testing::ServiceHarness;
using testing::TempDatabase;

// Hands out the ids it was given, in order.
class ScriptedIds final : public IdGenerator {
 public:
  explicit ScriptedIds(std::deque<std::string> ids) : ids_(std::move(ids)) {}
  std::string NewId() override {
    std::string id = ids_.front();
    ids_.pop_front();
    return id;
  }

 private:
  std::deque<std::string> ids_;
};

Applicant Person(const std::string& email, const std::string& name = "") {
  return Applicant{.email = email, .display_name = name};
}

TEST(SqliteStoreTest, RequestsSurviveReopening) {
  TempDatabase db;
  FakeClock clock;
  SequentialIds ids;
  {
    auto connection = db.Open();
    SqliteRequestStore store(*connection);
    ApprovalService service(store, clock, ids);
    ASSERT_TRUE(
        RequestApproval(service, Applicant{.email = "a@example.com",
                                           .identities = {{"federated", "google.com", "g1"}},
                                           .claims_json = R"({"n":12345678901234567})"})
            .ok());
  }
  auto connection = db.Open();
  SqliteRequestStore store(*connection);
  ApprovalService service(store, clock, ids);
  auto found = service.Get("r0001");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->state, RequestState::kPending);
  EXPECT_EQ(found->applicant.email, "a@example.com");
  ASSERT_EQ(found->applicant.identities.size(), 1u);
  EXPECT_EQ(found->applicant.identities[0].issuer_assigned_id, "g1");
  EXPECT_EQ(found->applicant.claims_json, R"({"n":12345678901234567})");  // exact, no doubles
  EXPECT_EQ(found->created, clock.Now());
}

TEST(SqliteStoreTest, StoredDataPassesSqlitesIntegrityCheck) {
  ServiceHarness harness;
  ApprovalService& service = harness.service;
  ASSERT_TRUE(RequestApproval(service, Applicant{.email = "a@example.com",
                                                 .identities = {{"federated", "google.com", "g1"},
                                                                {"", "mail", "a@x"}}})
                  .ok());
  EXPECT_EQ(harness.connection->db().execAndGet("PRAGMA integrity_check").getString(), "ok");
}

TEST(SqliteStoreTest, UsesWalAndFullSyncAndRecordsTheSchemaVersion) {
  TempDatabase db;
  auto connection = db.Open();
  auto& sql = connection->db();
  EXPECT_EQ(sql.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(sql.execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
  EXPECT_EQ(sql.execAndGet("PRAGMA user_version").getInt(), LatestSchemaVersion());
}

// What migrations 7 and 8 undo: every email matched; events could be changed.
constexpr const char* kBackToVersion6 =
    "DROP TABLE notify_failures; DROP TABLE notify_targets; "
    "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; "
    "ALTER TABLE requests DROP COLUMN email_verified; "
    "ALTER TABLE requests DROP COLUMN same_email_as; PRAGMA user_version = 6";

TEST(SqliteStoreTest, MigratesAVersion1Database) {
  TempDatabase db;
  FakeClock clock;
  SequentialIds ids;
  const Applicant ann{.email = "ann@example.com",
                      .identities = {{"federated", "google.com", "g-ann"}}};
  {
    auto connection = db.Open();
    SqliteRequestStore store(*connection);
    ApprovalService service(store, clock, ids);
    ASSERT_TRUE(RequestApproval(service, ann).ok());
    ASSERT_TRUE(RequestApproval(service, {.email = "bob@example.com"}).ok());
    ASSERT_TRUE(Approve(service, "r0002", "alice", "known").ok());
    // Turn it back into what schema version 1 looked like.
    connection->db().exec(kBackToVersion6);
    connection->db().exec(
        "DROP INDEX events_by_request_seq; ALTER TABLE events DROP COLUMN request_seq; "
        "CREATE INDEX events_by_request ON events(request_id, revision); "
        "DROP INDEX requests_by_email_key; DROP INDEX identities_by_identity_key; "
        "DROP INDEX requests_purgeable; ALTER TABLE requests DROP COLUMN email_key; "
        "ALTER TABLE requests DROP COLUMN purged_us; "
        "ALTER TABLE request_identities DROP COLUMN identity_key; "
        "CREATE INDEX requests_by_email ON requests(email) WHERE email <> ''; "
        "CREATE INDEX identities_by_key ON request_identities(issuer, issuer_assigned_id); "
        "DROP TABLE request_returned_claims; DROP INDEX requests_pending_since; "
        "ALTER TABLE requests DROP COLUMN pending_since_us; PRAGMA user_version = 1");
  }
  auto connection = db.Open();
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(connection->db().execAndGet("PRAGMA user_version").getInt(), LatestSchemaVersion());
  EXPECT_TRUE(connection->db().tableExists("request_returned_claims"));
  EXPECT_EQ(connection->db().execAndGet("PRAGMA integrity_check").getString(), "ok");
  SqliteRequestStore store(*connection);
  ApprovalService service(store, clock, ids);
  auto request = service.Get("r0001");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->pending_since, request->created);  // back-filled by migration 3
  // Matching keys were back-filled by migration 4: the applicants are recognized, by identity,
  // and by email where it is verified (migration 7: bob's local account).
  EXPECT_EQ(service.CheckApprovalStatus({.identities = {{"", "google.com", "g-ann"}}})->request_id,
            "r0001");
  EXPECT_EQ(service.CheckApprovalStatus({.email = "bob@example.com"})->request_id, "r0002");
  // Migration 5 keyed the audit log on the request's seq: each history is still its own.
  auto history = service.ListEvents({.request_id = "r0002"});
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].type, EventType::kCreated);
  EXPECT_EQ((*history)[1].type, EventType::kApproved);
  EXPECT_EQ(service.ListEvents({.request_id = "r0001"})->size(), 1u);
}

// What migration 6 undoes: matching keys as 64 hex characters, '' without an email.
constexpr const char* kBackToVersion5 =
    "DROP TABLE notify_failures; DROP TABLE notify_targets; "
    "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; "
    "ALTER TABLE requests DROP COLUMN email_verified; "
    "ALTER TABLE requests DROP COLUMN same_email_as; "
    "DROP INDEX requests_by_email_key; DROP INDEX identities_by_identity_key; "
    "ALTER TABLE requests ADD COLUMN hex_key TEXT NOT NULL DEFAULT ''; "
    "UPDATE requests SET hex_key = coalesce(lower(hex(email_key)), ''); "
    "ALTER TABLE requests DROP COLUMN email_key; "
    "ALTER TABLE requests RENAME COLUMN hex_key TO email_key; "
    "ALTER TABLE request_identities ADD COLUMN hex_key TEXT NOT NULL DEFAULT ''; "
    "UPDATE request_identities SET hex_key = lower(hex(identity_key)); "
    "ALTER TABLE request_identities DROP COLUMN identity_key; "
    "ALTER TABLE request_identities RENAME COLUMN hex_key TO identity_key; "
    "CREATE INDEX requests_by_email_key ON requests(email_key) WHERE email_key <> ''; "
    "CREATE INDEX identities_by_identity_key ON request_identities(identity_key); "
    "PRAGMA user_version = 5";

// A database as an older schema left it (`back_to` undoes the migrations since), holding what
// `fill` recorded.
void WriteOlderDatabase(const char* back_to, const TempDatabase& db, FakeClock& clock,
                        SequentialIds& ids, const ApprovalSettings& settings,
                        const std::function<void(ApprovalService&)>& fill) {
  auto connection = db.Open();
  SqliteRequestStore store(*connection);
  ApprovalService service(store, clock, ids, settings);
  fill(service);
  connection->db().exec(back_to);
}

void WriteVersion5Database(const TempDatabase& db, FakeClock& clock, SequentialIds& ids,
                           const ApprovalSettings& settings,
                           const std::function<void(ApprovalService&)>& fill) {
  WriteOlderDatabase(kBackToVersion5, db, clock, ids, settings, fill);
}

TEST(SqliteStoreTest, MigratesVersion5HexKeysToBytesAndPurgedApplicantsStillMatch) {
  TempDatabase db;
  FakeClock clock;
  SequentialIds ids;
  const ApprovalSettings settings{.retention = absl::Hours(24)};
  WriteVersion5Database(db, clock, ids, settings, [&](ApprovalService& service) {
    ASSERT_TRUE(RequestApproval(service, {.email = "eve@example.com",
                                          .identities = {{"federated", "google.com", "g-eve"}}})
                    .ok());
    ASSERT_TRUE(RequestApproval(service, {.email = "ann@example.com"}).ok());
    ASSERT_TRUE(
        RequestApproval(service, {.identities = {{"federated", "github.com", "gh-7"}}}).ok());
    ASSERT_TRUE(Deny(service, "r0001", "alice", "fraud").ok());
    clock.Advance(absl::Hours(25));
    ASSERT_EQ(*service.PurgeOverdue(10), 1);  // eve's email and identity id are gone
  });
  ASSERT_FALSE(HasFatalFailure());
  {
    SQLite::Database raw(db.path(), SQLite::OPEN_READONLY);
    ASSERT_EQ(raw.execAndGet("SELECT length(email_key) FROM requests WHERE seq = 1").getInt(), 64);
  }
  auto connection = db.Open();
  ASSERT_NE(connection, nullptr);
  auto& sql = connection->db();
  EXPECT_EQ(sql.execAndGet("PRAGMA user_version").getInt(), LatestSchemaVersion());
  EXPECT_EQ(sql.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(sql.execAndGet("SELECT group_concat(coalesce(typeof(email_key) || length(email_key), "
                           "'null'), ' ') FROM (SELECT email_key FROM requests ORDER BY seq)")
                .getString(),
            "blob32 blob32 null");
  EXPECT_EQ(sql.execAndGet("SELECT group_concat(typeof(identity_key) || length(identity_key), ' ')"
                           " FROM request_identities")
                .getString(),
            "blob32 blob32");
  SqliteRequestStore store(*connection);
  ApprovalService service(store, clock, ids, settings);
  // The purged applicant is still recognized by her identity, and still blocked; her email
  // came from Google, so it never matched alone (migration 7).
  EXPECT_EQ(service.CheckApprovalStatus({.identities = {{"", "google.com", "g-eve"}}})->reason,
            BlockReason::kDenied);
  EXPECT_EQ(service.CheckApprovalStatus({.email = "eve@example.com"})->action,
            ConnectorAction::kContinue);
  EXPECT_EQ(service.CheckApprovalStatus({.email = "ann@example.com"})->request_id, "r0002");
  EXPECT_EQ(service.CheckApprovalStatus({.identities = {{"", "github.com", "gh-7"}}})->request_id,
            "r0003");
  // And the keys written from now on are the ones the migrated rows carry: no duplicate.
  EXPECT_EQ(RequestApproval(service, {.email = "ann@example.com"})->request_id, "r0002");
  EXPECT_EQ(sql.execAndGet("SELECT count(*) FROM requests").getInt(), 3);
}

// A database as schema 6 left it: every email matched, whoever asserted it.
TEST(SqliteStoreTest, Migration7KeepsTheMatchesOfVerifiedEmailsOnly) {
  TempDatabase db;
  FakeClock clock;
  SequentialIds ids;
  WriteOlderDatabase(kBackToVersion6, db, clock, ids, {}, [](ApprovalService& service) {
    ASSERT_TRUE(RequestApproval(service, {.email = "lou@example.com"}).ok());  // local account
    ASSERT_TRUE(RequestApproval(service, {.email = "gus@example.com",
                                          .identities = {{"federated", "google.com", "g-gus"}}})
                    .ok());
    ASSERT_TRUE(RequestApproval(service, {.email = "Ella@Contoso.com",
                                          .identities = {{"email", "contoso.onmicrosoft.com",
                                                          "ella@contoso.com"}}})
                    .ok());
    for (const char* id : {"r0001", "r0002", "r0003"}) {
      ASSERT_TRUE(Approve(service, id, "alice", "known").ok());
    }
  });
  ASSERT_FALSE(HasFatalFailure());
  auto connection = db.Open();
  ASSERT_NE(connection, nullptr);
  auto& sql = connection->db();
  EXPECT_EQ(sql.execAndGet("PRAGMA user_version").getInt(), LatestSchemaVersion());
  EXPECT_EQ(sql.execAndGet("SELECT group_concat(email_verified, ' ') FROM "
                           "(SELECT email_verified FROM requests ORDER BY seq)")
                .getString(),
            "1 0 1");
  SqliteRequestStore store(*connection);
  ApprovalService service(store, clock, ids);
  // Verified emails still match: a local account, Entra's email sign-in.
  EXPECT_EQ(service.CheckApprovalStatus({.email = "lou@example.com"})->request_id, "r0001");
  EXPECT_EQ(service.CheckApprovalStatus({.email = "ella@contoso.com"})->request_id, "r0003");
  // Google's assertion of gus's address no longer carries his approval to anyone else...
  auto stranger = service.CheckApprovalStatus({.email = "gus@example.com"});
  EXPECT_EQ(stranger->action, ConnectorAction::kContinue);
  EXPECT_FALSE(stranger->request_id.has_value());
  // ...while gus himself is still recognized by his identity.
  EXPECT_EQ(service.CheckApprovalStatus({.identities = {{"", "google.com", "g-gus"}}})->request_id,
            "r0002");
}

TEST(SqliteStoreTest, TheAuditLogIsAppendOnlyInTheDatabase) {
  ServiceHarness h;
  ASSERT_TRUE(RequestApproval(h.service, Person("ann@example.com")).ok());
  auto& sql = h.connection->db();
  EXPECT_THROW(sql.exec("UPDATE events SET actor = 'mallory'"), SQLite::Exception);
  EXPECT_THROW(sql.exec("DELETE FROM events"), SQLite::Exception);
  EXPECT_EQ(sql.execAndGet("SELECT actor FROM events").getString(), "applicant");
}

TEST(SqliteStoreTest, AKeyThatIsNotHexStopsMigration6AndLeavesTheDatabaseAsItWas) {
  TempDatabase db;
  FakeClock clock;
  SequentialIds ids;
  WriteVersion5Database(db, clock, ids, {}, [](ApprovalService& service) {
    ASSERT_TRUE(RequestApproval(service, {.email = "ann@example.com"}).ok());
  });
  ASSERT_FALSE(HasFatalFailure());
  SQLite::Database(db.path(), SQLite::OPEN_READWRITE)
      .exec("UPDATE requests SET email_key = 'not hex' WHERE seq = 1");
  auto connection = SqliteConnection::Open(db.path());
  ASSERT_FALSE(connection.ok());
  EXPECT_EQ(connection.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(connection.status().message().find("requests row 1: email_key is not a 64-digit hex"),
            absl::string_view::npos)
      << connection.status();
  SQLite::Database raw(db.path(), SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("PRAGMA user_version").getInt(), 5);
  EXPECT_EQ(raw.execAndGet("SELECT email_key FROM requests").getString(), "not hex");
}

// SQLite uses a partial index only where it can prove the index's WHERE; a lookup of an unknown
// applicant that scanned the table instead once made hook 2 SQLite-bound.
TEST(SqliteStoreTest, LookupsByMatchingKeyUseTheirIndexes) {
  TempDatabase db;
  auto connection = db.Open();
  auto plan = [&](const std::string& query) {
    SQLite::Statement explain(connection->db(), "EXPLAIN QUERY PLAN " + query);
    std::string all;
    while (explain.executeStep()) all += explain.getColumn(3).getString() + "\n";
    return all;
  };
  EXPECT_NE(plan("SELECT seq FROM requests WHERE email_key = ?").find("requests_by_email_key"),
            std::string::npos);
  EXPECT_NE(plan("SELECT request_seq FROM request_identities WHERE identity_key = ?")
                .find("identities_by_identity_key"),
            std::string::npos);
}

TEST(SqliteStoreTest, ReturnedClaimsKeepTheirTypesOnDisk) {
  TempDatabase db;
  FakeClock clock;
  SequentialIds ids;
  const ReturnedClaims claims = {
      {"s", std::string("12")}, {"i", int64_t{9007199254740993}}, {"d", 0.25}, {"b", false}};
  {
    auto connection = db.Open();
    SqliteRequestStore store(*connection);
    ApprovalService service(store, clock, ids);
    ASSERT_TRUE(RequestApproval(service, Person("a@example.com")).ok());
    ASSERT_TRUE(Approve(service, "r0001", "alice", "", claims).ok());
  }
  auto connection = db.Open();
  SqliteRequestStore store(*connection);
  ApprovalService service(store, clock, ids);
  EXPECT_EQ(service.Get("r0001")->returned_claims, claims);
}

TEST(SqliteStoreTest, RefusesADatabaseFromANewerVersion) {
  TempDatabase db;
  {
    SQLite::Database raw(db.path(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("PRAGMA user_version = 99");
  }
  auto connection = SqliteConnection::Open(db.path());
  EXPECT_EQ(connection.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(connection.status().message().find("newer"), absl::string_view::npos);
}

TEST(SqliteStoreTest, UnopenableFileIsAClearError) {
  auto connection = SqliteConnection::Open("/nonexistent-dir/x/gatehouse.db");
  EXPECT_EQ(connection.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(connection.status().message().find("/nonexistent-dir/x/gatehouse.db"),
            absl::string_view::npos);
}

TEST(SqliteStoreTest, GroupCommitKeepsEveryCallersWorkAndRollsBackOnlyTheFailedOnes) {
  TempDatabase db;
  auto connection = db.Open();
  SqliteRequestStore store(*connection);
  SystemClock clock;
  TimeClusteredIdGenerator ids(clock);
  ApprovalService service(store, clock, ids);
  ASSERT_TRUE(RequestApproval(service, Person("template@example.com")).ok());
  auto listed = service.List(RequestQuery{});
  ASSERT_TRUE(listed.ok() && listed->requests.size() == 1u);
  const ApprovalRequest model = listed->requests[0];

  // 16 threads at once: most record an applicant; every fifth call writes a request and then
  // fails, so its write must vanish while its batch neighbours' commit.
  constexpr int kThreads = 16, kCalls = 25;
  std::atomic<int> recorded{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kCalls; ++n) {
        const std::string tag = std::to_string(t) + "-" + std::to_string(n);
        if (n % 5 == 4) {
          const absl::Status status = store.Transact([&](RequestRepository& repository) {
            ApprovalRequest doomed = model;
            doomed.id = "fail-" + tag;
            doomed.applicant.email = "fail-" + tag + "@example.com";
            if (absl::Status inserted = repository.Insert(doomed); !inserted.ok()) return inserted;
            return absl::FailedPreconditionError("changed my mind");
          });
          if (absl::IsFailedPrecondition(status)) ++failed;
        } else if (RequestApproval(service, Person("ok-" + tag + "@example.com")).ok()) {
          ++recorded;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(recorded.load(), kThreads * kCalls * 4 / 5);
  EXPECT_EQ(failed.load(), kThreads * kCalls / 5);
  RequestQuery all;
  all.limit = 1000;
  auto stored = service.List(all);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->requests.size(), 1u + kThreads * kCalls * 4 / 5);
  for (const ApprovalRequest& request : stored->requests) {
    EXPECT_FALSE(request.applicant.email.starts_with("fail-")) << request.id;
  }
}

// Counts SQLite virtual-machine steps: a deterministic measure of how much a query reads.
int CountSteps(void* counter) {
  ++*static_cast<int64_t*>(counter);
  return 0;
}

TEST(SqliteStoreTest, AnEventForAnUnknownRequestIsRefusedAndNothingIsLogged) {
  ServiceHarness h;
  ASSERT_TRUE(RequestApproval(h.service, Person("ann@example.com")).ok());
  const absl::Status status = h.store.Transact([](RequestRepository& repo) {
    return repo
        .AppendEvent(AuditEvent{.request_id = "no-such-request",
                                .type = EventType::kApproved,
                                .actor = "alice",
                                .state_after = RequestState::kApproved,
                                .time = absl::Now()})
        .status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_EQ(h.connection->db().execAndGet("SELECT count(*) FROM events").getInt(), 1);  // Ann's
}

TEST(SqliteStoreTest, ChangesComeWithTheirRequestsAsTheyAreNowInRevisionOrder) {
  ServiceHarness h;
  Applicant bob = Person("bob@example.com", "Bob");
  bob.identities.push_back({"federated", "https://idp.example", "bob-1"});
  ASSERT_TRUE(RequestApproval(h.service, Person("ann@example.com", "Ann")).ok());
  ASSERT_TRUE(RequestApproval(h.service, bob).ok());
  ASSERT_TRUE(
      h.service.Apply(ReviewAction::kApprove, "r0002", "alice", "known", {{"tier", "gold"}}).ok());

  auto changes = h.service.ListChanges(0, 10);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].event.revision, 1);
  EXPECT_EQ((*changes)[0].request.id, "r0001");
  EXPECT_EQ((*changes)[0].request.applicant.display_name, "Ann");
  // Bob's creation comes with Bob as he is now: approved, with his identity and claims.
  EXPECT_EQ((*changes)[1].event.type, EventType::kCreated);
  EXPECT_EQ((*changes)[1].request.state, RequestState::kApproved);
  ASSERT_EQ((*changes)[1].request.applicant.identities.size(), 1u);
  EXPECT_EQ((*changes)[1].request.applicant.identities[0].issuer_assigned_id, "bob-1");
  EXPECT_EQ((*changes)[1].request.returned_claims.at("tier"), ClaimValue(std::string("gold")));
  EXPECT_EQ((*changes)[2].event.type, EventType::kApproved);
  EXPECT_EQ((*changes)[2].event.actor, "alice");

  auto after = h.service.ListChanges(1, 1);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().event.revision, 2);
  EXPECT_EQ(h.service.ListChanges(0, 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SqliteStoreTest, LookingUpAnUnknownApplicantUsesTheIndexesNotAScan) {
  ServiceHarness h;
  SqliteConnection* connection = h.connection.get();
  ApprovalService& service = h.service;
  // Hook 1 reads on the connection's reader; one thread here, so there is exactly one, and
  // the counter is set on it.
  auto on_reader = [&](void* counter) {
    ASSERT_TRUE(connection
                    ->Read([&](SqliteConnection& reader) {
                      sqlite3_progress_handler(reader.db().getHandle(), counter ? 1 : 0,
                                               counter ? CountSteps : nullptr, counter);
                      return absl::OkStatus();
                    })
                    .ok());
  };
  auto steps_for_unknown_applicant = [&] {
    int64_t steps = 0;
    on_reader(&steps);
    EXPECT_TRUE(service.CheckApprovalStatus(Person("nobody@example.com")).ok());
    EXPECT_TRUE(
        service
            .CheckApprovalStatus(Applicant{.identities = {{"federated", "google.com", "nobody"}}})
            .ok());
    on_reader(nullptr);
    return steps;
  };
  ASSERT_TRUE(RequestApproval(service, Person("first@example.com")).ok());
  const int64_t small = steps_for_unknown_applicant();
  for (int i = 0; i < 2000; ++i) {
    ASSERT_TRUE(
        RequestApproval(service,
                        Applicant{.email = "applicant-" + std::to_string(i) + "@example.com",
                                  .identities = {{"federated", "google.com", std::to_string(i)}}})
            .ok());
  }
  const int64_t large = steps_for_unknown_applicant();
  EXPECT_GT(small, 0) << "the lookups ran on another connection than the one counted";
  // With the indexes the work does not grow with the table; a scan would add thousands of
  // steps per 2,000 rows.
  EXPECT_LT(large, small + 200) << "steps with 1 request: " << small << ", with 2001: " << large;
}

TEST(SqliteStoreTest, IdCollisionIsRetriedWithAFreshId) {
  TempDatabase db;
  auto connection = db.Open();
  SqliteRequestStore store(*connection);
  FakeClock clock;
  ScriptedIds ids({"same0001", "same0001", "other001"});
  ApprovalService service(store, clock, ids);
  auto first = RequestApproval(service, Person("a@example.com"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->request_id, "same0001");
  auto second = RequestApproval(service, Person("b@example.com"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->request_id, "other001");
  auto stored = service.Get("other001");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->applicant.email, "b@example.com");
}

class ListTest : public ::testing::Test {
 protected:
  ListTest() {
    for (const auto& [email, name] :
         std::vector<std::pair<std::string, std::string>>{{"ann@fabrikam.com", "Ann Lee"},
                                                          {"bob@contoso.com", "Bob_Stone"},
                                                          {"cid@fabrikam.com", "Cid 100%"},
                                                          {"dee@contoso.com", "Dee"},
                                                          {"eve@fabrikam.com", "Eve"}}) {
      clock_.Advance(absl::Seconds(1));
      EXPECT_TRUE(RequestApproval(service_, Person(email, name)).ok());
    }
    EXPECT_TRUE(Deny(service_, "r0004", "alice", "no").ok());
  }

  std::vector<std::string> Ids(const RequestQuery& query, std::string* next = nullptr) {
    auto page = service_.List(query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (!page.ok()) return ids;
    for (const auto& r : page->requests) ids.push_back(r.id);
    if (next != nullptr) *next = page->next_page_token;
    return ids;
  }

  ServiceHarness harness_;
  ApprovalService& service_ = harness_.service;
  FakeClock& clock_ = harness_.clock;
};

TEST_F(ListTest, FiltersByStateOldestFirst) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Ids({.state = RequestState::kPending}), (V{"r0001", "r0002", "r0003", "r0005"}));
  EXPECT_EQ(Ids({.state = RequestState::kDenied}), (V{"r0004"}));
  EXPECT_EQ(Ids({}).size(), 5u);
}

TEST_F(ListTest, SearchesEmailAndNamesCaseInsensitivelyAndLiterally) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Ids({.search = "FABRIKAM"}), (V{"r0001", "r0003", "r0005"}));
  EXPECT_EQ(Ids({.search = "ann lee"}), (V{"r0001"}));
  EXPECT_EQ(Ids({.search = "_"}), (V{"r0002"}));   // not a wildcard
  EXPECT_EQ(Ids({.search = "0%"}), (V{"r0003"}));  // not a wildcard
  EXPECT_TRUE(Ids({.search = "nobody"}).empty());
}

TEST_F(ListTest, PagesWithoutGapsOrRepeats) {
  std::string token;
  EXPECT_EQ(Ids({.limit = 2}, &token), (std::vector<std::string>{"r0001", "r0002"}));
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(Ids({.limit = 2, .page_token = token}, &token),
            (std::vector<std::string>{"r0003", "r0004"}));
  EXPECT_EQ(Ids({.limit = 2, .page_token = token}, &token), (std::vector<std::string>{"r0005"}));
  EXPECT_TRUE(token.empty());
}

TEST_F(ListTest, MalformedPageTokenIsInvalidArgument) {
  EXPECT_EQ(service_.List({.page_token = "abc"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(service_.List({.limit = 0}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gatehouse::core

namespace gatehouse::core {
namespace {

using testing::ServiceHarness;

class RetentionTest : public ::testing::Test {
 protected:
  ServiceHarness harness_{ApprovalSettings{.retention = absl::Hours(24 * 90)}};
  ApprovalService& service_ = harness_.service;
  FakeClock& clock_ = harness_.clock;
  std::unique_ptr<SqliteConnection>& connection_ = harness_.connection;
};

const Applicant kMallory{
    .email = "mallory@example.com",
    .identities = {{"federated", "google.com", "g-1"}, {"federated", "google.com", "g-2"}},
    .display_name = "Mallory",
    .claims_json = R"({"city":"Graz"})"};

TEST_F(RetentionTest, PurgesPersonalDataButKeepsTheApplicantBlocked) {
  ASSERT_TRUE(RequestApproval(service_, kMallory).ok());
  ASSERT_TRUE(Deny(service_, "r0001", "alice", "fraud").ok());
  clock_.Advance(absl::Hours(24 * 90));
  EXPECT_EQ(*service_.PurgeOverdue(100), 0);  // not yet
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(*service_.PurgeOverdue(100), 1);
  EXPECT_EQ(*service_.PurgeOverdue(100), 0);  // once only

  auto purged = service_.Get("r0001");
  ASSERT_TRUE(purged.ok());
  EXPECT_TRUE(purged->purged.has_value());
  EXPECT_EQ(purged->applicant.email, "");
  EXPECT_EQ(purged->applicant.display_name, "");
  EXPECT_EQ(purged->applicant.claims_json, "{}");
  for (const FederatedIdentity& identity : purged->applicant.identities) {
    EXPECT_NE(identity.issuer_assigned_id.rfind("g-", 0), 0u) << identity.issuer_assigned_id;
  }
  EXPECT_EQ(purged->state, RequestState::kDenied);  // the audit skeleton stays
  EXPECT_EQ(purged->decided_by, "alice");
  EXPECT_EQ(connection_->db().execAndGet("PRAGMA integrity_check").getString(), "ok");

  // Still recognized by identity, and still blocked. (Her email came from Google: alone it
  // never matched, purged or not.)
  EXPECT_EQ(service_.CheckApprovalStatus({.identities = {{"", "google.com", "g-1"}}})->reason,
            BlockReason::kDenied);
  EXPECT_EQ(RequestApproval(service_, {.identities = {{"", "google.com", "g-2"}}})->reason,
            BlockReason::kDenied);
  const std::string all = connection_->db()
                              .execAndGet(
                                  "SELECT group_concat(email || display_name || "
                                  "claims_json) FROM requests")
                              .getString();
  EXPECT_EQ(all.find("mallory"), std::string::npos);
  EXPECT_EQ(all.find("Graz"), std::string::npos);
}

TEST_F(RetentionTest, PendingRequestsAreNeverPurged) {
  ASSERT_TRUE(RequestApproval(service_, kMallory).ok());
  clock_.Advance(absl::Hours(24 * 29));  // stays under the 30-day TTL
  EXPECT_EQ(*service_.PurgeOverdue(100), 0);
  EXPECT_EQ(service_.Get("r0001")->applicant.email, "mallory@example.com");
}

TEST(RetentionOffTest, ZeroRetentionKeepsEverything) {
  ServiceHarness harness;
  ApprovalService& service = harness.service;
  ASSERT_TRUE(RequestApproval(service, kMallory).ok());
  ASSERT_TRUE(Approve(service, "r0001", "alice", "").ok());
  harness.clock.Advance(absl::Hours(24 * 3650));
  EXPECT_EQ(*service.PurgeOverdue(100), 0);
  EXPECT_EQ(service.Get("r0001")->applicant.email, "mallory@example.com");
}

}  // namespace
}  // namespace gatehouse::core
