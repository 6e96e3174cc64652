// What tripsimd's subcommands share (design.md 8): the flags every one takes, the
// configuration they build, and the way they open the store and print their JSON. Each group
// of subcommands adds itself to the CLI11 app with the action to run when it is the one parsed.
// Part of the tripsimd program, not of the server library.
//
//   Commands commands;
//   AddPartnerCommands(app, commands);
//   app.parse(argc, argv);
//   for (const Command& c : commands) if (c.app->parsed()) return c.run();
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tripsim/server/config.h"
#include "tripsim/server/partner_admin.h"
#include "tripsim/store/store.h"

namespace tripsim::server {

// Exit codes: bad input (a flag, a file, an unknown id), and any other failure.
constexpr int kUsageError = 2;
constexpr int kFailure = 1;

// A subcommand and what it does once parsed; its result is the exit code.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};
using Commands = std::vector<Command>;

// Flags every subcommand takes; each overrides the file and the environment when given.
struct CommonFlags {
  std::string config_file;
  std::optional<std::string> store;
  std::optional<std::string> env;

  void AddTo(CLI::App* app);
};

// Prints `s` (and its details) on stderr; the exit code it calls for.
int Report(const Status& s);

// The configuration: defaults, then the TOML file, the TRIPSIM_* variables, the common flags
// and last `apply_flags` (the subcommand's own); validated, and the log level applied.
Result<Config> BuildConfig(const CommonFlags& common,
                           const std::function<void(Config&)>& apply_flags);

// "JSON" as it is, or the contents of the file named by "@file".
Result<std::string> InlineOrFile(const std::string& value);

// The contents of the file at `path`; kInvalidArgument naming it when it cannot be read.
Result<std::string> ReadFileText(const std::string& path);

// Opens the store (and the master key when `needs_key`), then runs `fn` with them, printing
// its JSON on stdout. The exit code: 0, or Report's.
int WithStore(const CommonFlags& common, bool needs_key,
              const std::function<Result<std::string>(store::Store&, const std::string&)>& fn);

// A partner's settings as flags (partner create and update).
struct PartnerFlags {
  std::string partner_id;
  std::optional<std::string> name, strategy, webhook_url, email_from, email_reply_to, display_name,
      allow_list, package_types, require_body_hash;
  std::optional<int> reminder_days, daily_limit;
  std::optional<std::string> rate_limit;

  void AddSettings(CLI::App* app);
  // The settings given; kInvalidArgument for a bad --rate-limit or an unreadable @file.
  Result<PartnerSpec> Spec() const;
};

// serve, migrate (main.cc).
void AddServerCommands(CLI::App& app, Commands& out);
// partner ..., admin-token, traveller erase, usage export (commands_partner.cc).
void AddPartnerCommands(CLI::App& app, Commands& out);
// catalog ..., inventory ... (commands_stock.cc).
void AddStockCommands(CLI::App& app, Commands& out);
// webhooks ..., mail ... (commands_outbox.cc).
void AddOutboxCommands(CLI::App& app, Commands& out);

}  // namespace tripsim::server
