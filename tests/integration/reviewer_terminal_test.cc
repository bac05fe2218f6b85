// The reviewer as people use it: `review` and `list` on a pseudo-terminal, the per-user config
// file, and the one-line errors with a hint. Always the real binary against the real core.
#include <sys/stat.h>

#include <fstream>

#include "pty_process.h"
#include "stack_fixture.h"

namespace gatehouse::testing {
namespace {

inline const char* kSam = R"({"email": "sam@northwind.com", "displayName": "Sam Rivera"})";

class ReviewerTerminalTest : public StackTest {
 protected:
  // The reviewer on a terminal, with a token in the environment.
  std::unique_ptr<PtyProcess> OnTerminal(std::vector<std::string> args, Env env = {}) {
    std::vector<std::string> argv = {kBin + "/reviewer", "--server", CoreAddress()};
    argv.insert(argv.end(), args.begin(), args.end());
    env.emplace("GATEHOUSE_TOKEN", reviewer_token_);
    env.emplace("TERM", "xterm-256color");
    return std::make_unique<PtyProcess>(argv, ReviewerEnv(std::move(env)));
  }

  json Find(const std::string& id) {
    for (const json& item : AllRequests()) {
      if (item["id"] == id) return item;
    }
    return json::object();
  }

  void WriteUserConfig(const std::string& text) {
    std::filesystem::create_directories(dir_ + "/config/gatehouse");
    std::ofstream(dir_ + "/config/gatehouse/reviewer.toml") << text;
  }

  std::string WriteTokenFile(const std::string& token, mode_t mode) {
    const std::string path = dir_ + "/reviewer.token";
    std::ofstream(path) << token << "\n";
    chmod(path.c_str(), mode);
    return path;
  }
};

TEST_F(ReviewerTerminalTest, ReviewWalksTheQueueOneKeyAtATime) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ExpectBlock(Hook("request-approval", kSam), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string john = PendingId("john.smith@fabrikam.com");
  const std::string mary = PendingId("mary@contoso.com");
  const std::string sam = PendingId("sam@northwind.com");

  auto review = OnTerminal({"review"}, {{"NO_COLOR", "1"}});
  // Oldest first, with everything a reviewer needs to decide.
  ASSERT_TRUE(review->WaitFor("request/" + john + " · 3 waiting", 10s)) << review->Screen();
  ASSERT_TRUE(review->WaitFor("identity: facebook.com / 0123456789", 5s)) << review->Screen();
  ASSERT_TRUE(review->WaitFor("[a]pprove  [d]eny  [s]kip  [q]uit > ", 5s)) << review->Screen();
  review->Type("a");  // no Enter: one key acts
  ASSERT_TRUE(review->WaitFor("request/" + john + " approved", 5s)) << review->Screen();

  // The next request at once; an unknown key explains the keys.
  ASSERT_TRUE(review->WaitFor("request/" + mary + " · 2 waiting", 5s)) << review->Screen();
  review->Type("x");
  ASSERT_TRUE(review->WaitFor("press a to approve", 5s)) << review->Screen();
  review->Type("d");
  ASSERT_TRUE(review->WaitFor("reason (required", 5s)) << review->Screen();
  review->Type("\r");  // an empty reason is refused, and the same request stays
  ASSERT_TRUE(review->WaitFor("a reason is required to deny", 5s)) << review->Screen();
  review->Type("d");
  review->Type("typo\x7f\x7f\x7f\x7fnot a customer\r");  // backspace edits the reason
  ASSERT_TRUE(review->WaitFor("request/" + mary + " denied", 5s)) << review->Screen();

  // Someone else decides the request on screen: the conflict names who, and the walk goes on.
  ASSERT_TRUE(review->WaitFor("request/" + sam + " · 1 waiting", 5s)) << review->Screen();
  ASSERT_EQ(Reviewer({"deny", sam, "--reason", "duplicate"}, reviewer_token_).exit_code, 0);
  review->Type("a");
  ASSERT_TRUE(
      review->WaitFor("request/" + sam + ": request " + sam + " is already denied by alice", 5s))
      << review->Screen();
  ASSERT_TRUE(review->WaitFor("no more pending requests: 1 approved, 1 denied, 0 skipped", 5s))
      << review->Screen();
  EXPECT_EQ(review->Wait(5s), 0) << review->Screen();
  EXPECT_EQ(review->Screen().find("\x1b["), std::string::npos) << "NO_COLOR is honoured";

  EXPECT_EQ(Find(john)["state"], "approved");
  EXPECT_EQ(Find(mary)["state"], "denied");
  EXPECT_EQ(Find(mary)["reason"], "not a customer");
  EXPECT_EQ(Find(sam)["reason"], "duplicate");
}

TEST_F(ReviewerTerminalTest, ReviewSkipsAndQuitsLeavingTheRestPending) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string john = PendingId("john.smith@fabrikam.com");
  const std::string mary = PendingId("mary@contoso.com");

  auto review = OnTerminal({"review"});
  ASSERT_TRUE(review->WaitFor("request/" + john, 10s)) << review->Screen();
  review->Type("s");
  ASSERT_TRUE(review->WaitFor("request/" + mary + " · 1 waiting", 5s)) << review->Screen();
  review->Type("d");
  ASSERT_TRUE(review->WaitFor("reason", 5s)) << review->Screen();
  review->Type("half a reas\x03");  // Ctrl-C while typing: back to the same request
  ASSERT_TRUE(review->WaitFor("[a]pprove", 5s)) << review->Screen();
  review->Type("q");
  ASSERT_TRUE(review->WaitFor("0 approved, 0 denied, 1 skipped", 5s)) << review->Screen();
  EXPECT_EQ(review->Wait(5s), 0) << review->Screen();
  EXPECT_EQ(Find(john)["state"], "pending");
  EXPECT_EQ(Find(mary)["state"], "pending");

  auto again = OnTerminal({"review"});  // a new session starts with the skipped one again
  ASSERT_TRUE(again->WaitFor("request/" + john + " · 2 waiting", 10s)) << again->Screen();
  again->Type("\x03");  // Ctrl-C quits cleanly
  EXPECT_EQ(again->Wait(5s), 0) << again->Screen();
}

TEST_F(ReviewerTerminalTest, ReviewNeedsATerminal) {
  RunResult piped = Reviewer({"review"}, reviewer_token_);
  EXPECT_EQ(piped.exit_code, 2);
  EXPECT_NE(piped.err.find("needs a terminal"), std::string::npos) << piped.err;
  EXPECT_NE(piped.err.find("hint: "), std::string::npos) << piped.err;
  EXPECT_TRUE(piped.out.empty());
}

TEST_F(ReviewerTerminalTest, ListOnATerminalIsAlignedColouredAndRelative) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  auto list = OnTerminal({"list"});
  EXPECT_EQ(list->Wait(10s), 0) << list->Screen();
  const std::string& screen = list->Screen();
  EXPECT_NE(screen.find("ID        STATE    EMAIL"), std::string::npos) << screen;
  EXPECT_NE(screen.find("AGE"), std::string::npos) << screen;
  EXPECT_NE(screen.find("\x1b[33mpending\x1b[0m"), std::string::npos) << screen;
  EXPECT_EQ(screen.find('\t'), std::string::npos) << screen;

  auto plain = OnTerminal({"list"}, {{"NO_COLOR", "1"}});
  EXPECT_EQ(plain->Wait(10s), 0);
  EXPECT_EQ(plain->Screen().find("\x1b["), std::string::npos) << plain->Screen();

  // Piped: tab-separated, RFC 3339 times, no colour even when asked for automatically.
  RunResult piped = Reviewer({"list"}, reviewer_token_);
  EXPECT_NE(piped.out.find("ID\tSTATE\tEMAIL\tNAME\tPROVIDER\tCREATED\tATTEMPTS\n"),
            std::string::npos)
      << piped.out;
  EXPECT_EQ(piped.out.find("\x1b["), std::string::npos);
  RunResult forced = Reviewer({"list", "--color", "always"}, reviewer_token_);
  EXPECT_NE(forced.out.find("\x1b[33mpending"), std::string::npos) << forced.out;
}

TEST_F(ReviewerTerminalTest, JsonLinesForScripts) {
  ExpectBlock(Hook("request-approval", kJohn), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  RunResult lines = Reviewer({"list", "-o", "jsonl"}, reviewer_token_);
  ASSERT_EQ(lines.exit_code, 0) << lines.err;
  std::istringstream in(lines.out);
  std::vector<std::string> emails;
  for (std::string line; std::getline(in, line);) emails.push_back(json::parse(line)["email"]);
  EXPECT_EQ(emails, (std::vector<std::string>{"john.smith@fabrikam.com", "mary@contoso.com"}));
}

TEST_F(ReviewerTerminalTest, UserConfigFileGivesServerAndTokenFileAndFlagsWin) {
  ExpectBlock(Hook("request-approval", kMary), "GATEHOUSE-APPROVAL-REQUESTED", "waiting");
  const std::string token_file = WriteTokenFile(reviewer_token_, 0600);
  WriteUserConfig("server = \"" + CoreAddress() + "\"\ntoken_file = \"" + token_file +
                  "\"\noutput = \"json\"\n");
  const std::string reviewer = kBin + "/reviewer";
  RunResult configured = RunCommand({reviewer, "list"}, ReviewerEnv({}));
  ASSERT_EQ(configured.exit_code, 0) << configured.err;
  EXPECT_EQ(json::parse(configured.out)[0]["email"], "mary@contoso.com");
  EXPECT_EQ(configured.err, "");

  // Environment beats the file; a flag beats both.
  RunResult env_token = RunCommand({reviewer, "list"}, ReviewerEnv({{"GATEHOUSE_TOKEN", "gh_x"}}));
  EXPECT_EQ(env_token.exit_code, 4) << env_token.err;
  RunResult flag_server = RunCommand(
      {reviewer, "--server", "127.0.0.1:1", "--timeout-ms", "300", "list"}, ReviewerEnv({}));
  EXPECT_EQ(flag_server.exit_code, 3) << flag_server.err;

  // A token file others can read still works, with a warning.
  chmod(token_file.c_str(), 0644);
  RunResult loose = RunCommand({reviewer, "list"}, ReviewerEnv({}));
  EXPECT_EQ(loose.exit_code, 0);
  EXPECT_NE(loose.err.find("can be read by other users; run 'chmod 600"), std::string::npos)
      << loose.err;

  // Unknown keys are refused by name, like the servers' config files.
  WriteUserConfig("sever = \"typo\"\n");
  RunResult typo = RunCommand({reviewer, "list"}, ReviewerEnv({}));
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown key 'sever'"), std::string::npos) << typo.err;
}

TEST_F(ReviewerTerminalTest, ErrorsAreOneLineWithAHint) {
  RunResult unreachable =
      RunCommand({kBin + "/reviewer", "--server", "127.0.0.1:1", "--timeout-ms", "300", "list"},
                 ReviewerEnv({{"GATEHOUSE_TOKEN", reviewer_token_}}));
  EXPECT_EQ(unreachable.exit_code, 3);
  EXPECT_EQ(unreachable.err,
            "error: cannot reach approval-core at 127.0.0.1:1\n"
            "hint: is it running? Point to it with --server or GATEHOUSE_SERVER; if it uses TLS, "
            "give its CA with --tls-ca.\n");

  RunResult bad_token = Reviewer({"list"}, "gh_not-a-real-token");
  EXPECT_EQ(bad_token.exit_code, 4);
  EXPECT_EQ(bad_token.err.rfind("error: the server did not accept the token", 0), 0u)
      << bad_token.err;
  EXPECT_NE(bad_token.err.find("\nhint: "), std::string::npos);

  RunResult unknown = Reviewer({"approve", "zzzzzzzz"}, reviewer_token_);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("error: request/zzzzzzzz: "), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("hint: 'reviewer list --state all'"), std::string::npos);

  RunResult no_token =
      RunCommand({kBin + "/reviewer", "--server", CoreAddress(), "list"}, ReviewerEnv({}));
  EXPECT_EQ(no_token.exit_code, 4);
  EXPECT_NE(no_token.err.find("hint: create one with"), std::string::npos) << no_token.err;

  for (const RunResult* r : {&unreachable, &bad_token, &unknown, &no_token}) {
    EXPECT_EQ(r->err.find("StatusCode"), std::string::npos) << r->err;
    EXPECT_EQ(r->err.find("UNAVAILABLE"), std::string::npos) << r->err;
    EXPECT_EQ(r->err.find("terminate"), std::string::npos) << r->err;
  }
}

TEST_F(ReviewerTerminalTest, EveryVerbHasHelpWithAnExample) {
  for (const char* verb : {"list", "show", "approve", "deny", "revoke", "reopen", "history",
                           "status", "watch", "review"}) {
    RunResult help = RunCommand({kBin + "/reviewer", verb, "--help"}, ReviewerEnv({}));
    EXPECT_EQ(help.exit_code, 0) << verb;
    EXPECT_NE(help.out.find("reviewer " + std::string(verb)), std::string::npos) << verb << ":\n"
                                                                                 << help.out;
    EXPECT_NE(help.out.find("Example"), std::string::npos) << verb << ":\n" << help.out;
  }
  RunResult top = RunCommand({kBin + "/reviewer", "--help"}, ReviewerEnv({}));
  EXPECT_NE(top.out.find("Exit codes: 0 ok, 1 failed"), std::string::npos) << top.out;
}

}  // namespace
}  // namespace gatehouse::testing
