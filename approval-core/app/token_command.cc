#include "app/token_command.h"

#include <cstdio>
#include <iostream>
#include <regex>

#include "absl/time/clock.h"
#include "app/command_output.h"
#include "auth/token_secrets.h"
#include "storage/sqlite_connection.h"
#include "storage/sqlite_token_store.h"

namespace gatehouse::core {

int CreateToken(const std::string& db, const std::string& name, const std::string& role_text) {
  // Names end up in audit logs and on terminals: keep them plain.
  static const std::regex kName("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  if (!std::regex_match(name, kName)) {
    std::cerr << "error: --name must be 1-64 characters of letters, digits, '.', '_', '@', '-'\n";
    return 2;
  }
  const auto role = ParseRole(role_text);
  if (!role) {
    std::cerr << "error: --role must be connector, reviewer or reader\n";
    return 2;
  }
  auto connection = SqliteConnection::Open(db);
  if (!connection.ok()) return Fail(connection.status());
  SqliteTokenStore store(**connection);
  const std::string secret = GenerateTokenSecret();
  absl::Status inserted = store.Insert(
      TokenRecord{.name = name, .role = *role, .hash = HashToken(secret), .created = absl::Now()});
  if (!inserted.ok()) return Fail(inserted);
  std::cout << secret << std::endl;
  std::cerr << "token/" << name << " created (role " << role_text
            << "); the secret above is shown only once\n";
  return 0;
}

int ListTokens(const std::string& db) {
  auto connection = SqliteConnection::Open(db);
  if (!connection.ok()) return Fail(connection.status());
  SqliteTokenStore store(**connection);
  auto tokens = store.List();
  if (!tokens.ok()) return Fail(tokens.status());
  std::cout << "NAME\tROLE\tCREATED\tREVOKED\n";
  for (const TokenRecord& token : *tokens) {
    std::cout << token.name << '\t' << ToString(token.role) << '\t' << Rfc3339(token.created)
              << '\t' << (token.revoked ? Rfc3339(*token.revoked) : "-") << '\n';
  }
  return 0;
}

int RevokeToken(const std::string& db, const std::string& name) {
  auto connection = SqliteConnection::Open(db);
  if (!connection.ok()) return Fail(connection.status());
  SqliteTokenStore store(**connection);
  absl::Status revoked = store.Revoke(name, absl::Now());
  if (!revoked.ok()) return Fail(revoked);
  std::cerr << "token/" << name << " revoked\n";
  return 0;
}

void AddTokenCommands(CLI::App& app, const std::string& default_db,
                      std::vector<Subcommand>& commands) {
  struct Arguments {
    std::string db, name, role;
  };
  auto args = std::make_shared<Arguments>(Arguments{.db = default_db});
  CLI::App* token = app.add_subcommand("token", "manage API tokens")->require_subcommand(1);
  CLI::App* create = token->add_subcommand("create", "create a token and print its secret once");
  AddDbOption(create, args->db);
  create->add_option("--name", args->name, "token name, recorded as the actor in the audit log")
      ->required();
  create->add_option("--role", args->role, "connector, reviewer or reader")->required();
  commands.push_back({create, [args] { return CreateToken(args->db, args->name, args->role); }});
  CLI::App* list = token->add_subcommand("list", "list tokens (never their secrets)");
  AddDbOption(list, args->db);
  commands.push_back({list, [args] { return ListTokens(args->db); }});
  CLI::App* revoke = token->add_subcommand("revoke", "revoke a token at once");
  AddDbOption(revoke, args->db);
  revoke->add_option("name", args->name, "token name")->required();
  commands.push_back({revoke, [args] { return RevokeToken(args->db, args->name); }});
}

}  // namespace gatehouse::core
