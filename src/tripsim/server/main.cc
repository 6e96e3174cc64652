// tripsimd: the server and the operator's command line (design.md 8). Each group of
// subcommands adds itself with its action (command_line.h); this file holds serve and migrate.
#include <CLI/CLI.hpp>

#include "tripsim/server/command_line.h"
#include "tripsim/server/wiring.h"

namespace tripsim::server {

void AddServerCommands(CLI::App& app, Commands& out) {
  struct Flags {
    CommonFlags common;
    std::optional<std::string> listen, mail, public_url, tls_cert, tls_key;
    bool metrics_public = false;
  };
  auto f = std::make_shared<Flags>();
  auto* serve = app.add_subcommand("serve", "run the HTTP server");
  f->common.AddTo(serve);
  serve->add_option("--listen", f->listen, "host:port to listen on (port 0: any free port)");
  serve->add_option("--mail", f->mail, "maildir:PATH or smtp://host:port");
  serve->add_option("--public-url", f->public_url, "base URL of links sent to travellers");
  serve->add_option("--tls-cert", f->tls_cert, "PEM certificate chain: serve HTTPS directly");
  serve->add_option("--tls-key", f->tls_key, "PEM private key of --tls-cert");
  serve->add_flag("--metrics-public", f->metrics_public,
                  "serve /metrics without an operator token (it holds per-partner figures)");
  out.push_back({serve, [f] {
                   Result<Config> c = BuildConfig(f->common, [&](Config& cfg) {
                     if (f->listen) cfg.listen = *f->listen;
                     if (f->mail) {
                       cfg.mail = *f->mail;
                       cfg.mail_explicit = true;
                     }
                     if (f->public_url) cfg.public_url = *f->public_url;
                     if (f->metrics_public) cfg.metrics_public = true;
                     if (f->tls_cert) cfg.tls_cert = *f->tls_cert;
                     if (f->tls_key) cfg.tls_key = *f->tls_key;
                   });
                   if (!c.ok()) return Report(c.status());
                   return Serve(*c);
                 }});

  auto migrate_common = std::make_shared<CommonFlags>();
  auto* migrate = app.add_subcommand("migrate", "apply pending schema migrations and exit");
  migrate_common->AddTo(migrate);
  out.push_back({migrate, [migrate_common] {
                   return WithStore(*migrate_common, false, [](store::Store&, const std::string&) {
                     return Result<std::string>(std::string(R"({"migrated":true})"));
                   });
                 }});
}

namespace {

int Main(int argc, char** argv) {
  CLI::App app{"tripsimd: the tripsim eSIM distribution server and operator tools"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "help for every subcommand");
  app.set_version_flag("--version", "tripsimd " TRIPSIM_VERSION);
  Commands commands;
  AddServerCommands(app, commands);
  AddPartnerCommands(app, commands);
  AddStockCommands(app, commands);
  AddOutboxCommands(app, commands);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (const Command& c : commands) {
    if (c.app->parsed()) return c.run();
  }
  return kUsageError;
}

}  // namespace
}  // namespace tripsim::server

int main(int argc, char** argv) { return tripsim::server::Main(argc, argv); }
