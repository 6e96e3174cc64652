// tripsimd: the server and the operator's command line (design.md 8).
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tripsim/base/log.h"
#include "tripsim/catalog/catalog.h"
#include "tripsim/catalog/inventory_file.h"
#include "tripsim/dashboard/usage.h"
#include "tripsim/server/config.h"
#include "tripsim/server/mail_preview.h"
#include "tripsim/server/partner_admin.h"
#include "tripsim/server/wiring.h"

namespace tripsim::server {
namespace {

constexpr int kUsageError = 2;
constexpr int kFailure = 1;

// Flags every subcommand takes; each overrides the file and the environment when given.
struct CommonFlags {
  std::string config_file;
  std::optional<std::string> store;
  std::optional<std::string> env;

  void AddTo(CLI::App* app) {
    app->add_option("--config", config_file, "TOML configuration file");
    app->add_option("--store", store,
                    "sqlite:PATH or postgresql://... (default sqlite:var/tripsim.db)");
    app->add_option("--env", env, "staging or production (default staging)")
        ->check(CLI::IsMember({"staging", "production"}));
  }
};

int Report(const Status& s) {
  std::cerr << "tripsimd: " << s.message() << "\n";
  for (const auto& d : s.details()) std::cerr << "  " << d.field << ": " << d.issue << "\n";
  return s.code() == ErrorCode::kInvalidArgument || s.code() == ErrorCode::kNotFound ? kUsageError
                                                                                     : kFailure;
}

Result<Config> BuildConfig(const CommonFlags& common,
                           const std::function<void(Config&)>& apply_flags) {
  Config c;
  if (!common.config_file.empty()) TRIPSIM_RETURN_IF_ERROR(ApplyToml(c, common.config_file));
  TRIPSIM_RETURN_IF_ERROR(ApplyEnvironment(c, [](const char* n) { return std::getenv(n); }));
  if (common.store) c.store = *common.store;
  if (common.env) c.env = *common.env;
  apply_flags(c);
  TRIPSIM_RETURN_IF_ERROR(Validate(c));
  log::SetLevel(*log::ParseLevel(c.log_level));
  return c;
}

// Reads "JSON" or "@file".
Result<std::string> InlineOrFile(const std::string& value) {
  if (value.empty() || value[0] != '@') return value;
  std::ifstream in(value.substr(1));
  if (!in) return InvalidArgument("cannot read " + value.substr(1));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// Opens the store and the master key, then runs `fn`, printing its JSON on stdout.
int WithStore(const CommonFlags& common, bool needs_key,
              const std::function<Result<std::string>(store::Store&, const std::string&)>& fn) {
  Result<Config> c = BuildConfig(common, [](Config&) {});
  if (!c.ok()) return Report(c.status());
  std::string key;
  if (needs_key) {
    Result<std::string> k = LoadMasterKey(*c);
    if (!k.ok()) return Report(k.status());
    key = *k;
  }
  Result<std::unique_ptr<store::Store>> store = OpenStore(*c);
  if (!store.ok()) return Report(store.status());
  Result<std::string> out = fn(**store, key);
  if (!out.ok()) return Report(out.status());
  PrintJsonLine(*out);
  return 0;
}

struct PartnerFlags {
  std::string partner_id;
  std::optional<std::string> name, strategy, webhook_url, email_from, email_reply_to, display_name,
      allow_list, package_types, require_body_hash;
  std::optional<int> reminder_days, daily_limit;
  std::optional<std::string> rate_limit;

  void AddSettings(CLI::App* app) {
    app->add_option("--name", name, "partner name");
    app->add_option("--strategy", strategy, "strategy JSON, or @file");
    app->add_option("--webhook-url", webhook_url, "URL that receives signed webhook events");
    app->add_option("--email-from", email_from, "From address of traveller emails");
    app->add_option("--email-reply-to", email_reply_to, "Reply-To address of traveller emails");
    app->add_option("--display-name", display_name, "name shown to travellers");
    app->add_option("--allow-list", allow_list, "allowed destination countries, comma-separated");
    app->add_option("--package-types", package_types,
                    "permitted package types, comma-separated (data-limited,unlimited,starter)");
    app->add_option("--rate-limit", rate_limit,
                    "API requests per second, e.g. 20 or 20/s (0: none)");
    app->add_option("--daily-limit", daily_limit,
                    "bookings the partner may create per UTC day (0: no limit)");
    app->add_option("--reminder-days", reminder_days,
                    "email a reminder this many days before departure (0: none)");
    app->add_option("--require-body-hash", require_body_hash,
                    "require x-content-sha256 in signatures (true|false)")
        ->check(CLI::IsMember({"true", "false"}));
  }

  Result<PartnerSpec> Spec() const {
    PartnerSpec s;
    s.name = name;
    if (strategy) {
      TRIPSIM_ASSIGN_OR_RETURN(text, InlineOrFile(*strategy));
      s.strategy_json = text;
    }
    s.webhook_url = webhook_url;
    s.email_from = email_from;
    s.email_reply_to = email_reply_to;
    s.display_name = display_name;
    if (allow_list) s.allow_list = SplitCommas(*allow_list);
    if (package_types) s.package_types = SplitCommas(*package_types);
    if (require_body_hash) s.require_body_hash = *require_body_hash == "true";
    s.reminder_days = reminder_days;
    s.daily_booking_limit = daily_limit;
    if (rate_limit) {
      std::string r = *rate_limit;
      if (r.size() > 2 && r.substr(r.size() - 2) == "/s") r.resize(r.size() - 2);
      char* end = nullptr;
      double v = std::strtod(r.c_str(), &end);
      if (r.empty() || end != r.c_str() + r.size()) {
        return InvalidArgument("--rate-limit must be a number of requests per second, like 20/s");
      }
      s.rate_limit = v;
    }
    return s;
  }
};

int Main(int argc, char** argv) {
  CLI::App app{"tripsimd: the tripsim eSIM distribution server and operator tools"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "help for every subcommand");
  app.set_version_flag("--version", "tripsimd " TRIPSIM_VERSION);

  // serve
  CommonFlags serve_common;
  std::optional<std::string> listen, mail, public_url;
  auto* serve = app.add_subcommand("serve", "run the HTTP server");
  serve_common.AddTo(serve);
  serve->add_option("--listen", listen, "host:port to listen on (port 0: any free port)");
  serve->add_option("--mail", mail, "maildir:PATH or smtp://host:port");
  serve->add_option("--public-url", public_url, "base URL of links sent to travellers");
  std::optional<std::string> tls_cert, tls_key;
  serve->add_option("--tls-cert", tls_cert, "PEM certificate chain: serve HTTPS directly");
  serve->add_option("--tls-key", tls_key, "PEM private key of --tls-cert");
  bool metrics_public = false;
  serve->add_flag("--metrics-public", metrics_public,
                  "serve /metrics without an operator token (it holds per-partner figures)");

  CommonFlags migrate_common;
  auto* migrate = app.add_subcommand("migrate", "apply pending schema migrations and exit");
  migrate_common.AddTo(migrate);

  // partner ...
  auto* partner = app.add_subcommand("partner", "manage partners");
  partner->require_subcommand(1);
  CommonFlags partner_common;
  PartnerFlags pf;
  auto* p_create = partner->add_subcommand("create", "create a partner and print its credentials");
  partner_common.AddTo(p_create);
  pf.AddSettings(p_create);
  auto* p_update = partner->add_subcommand("update", "change a partner's settings");
  partner_common.AddTo(p_update);
  p_update->add_option("--partner", pf.partner_id, "partner id")->required();
  pf.AddSettings(p_update);
  auto* p_strategy = partner->add_subcommand("set-strategy", "set a partner's package strategy");
  partner_common.AddTo(p_strategy);
  p_strategy->add_option("--partner", pf.partner_id, "partner id")->required();
  p_strategy->add_option("--strategy", pf.strategy, "strategy JSON, or @file")->required();
  auto* p_list = partner->add_subcommand("list", "list partners (no secrets)");
  partner_common.AddTo(p_list);
  std::map<std::string, CLI::App*> by_id_commands;
  int grace_hours = 24;
  const std::pair<const char*, const char*> by_id[] = {
      {"enable", "let a disabled partner sign requests again"},
      {"disable", "refuse the partner's requests (403) until it is enabled"},
      {"rotate-secret", "issue a new API secret and print it once"},
      {"rotate-webhook-secret", "issue a new secret for the webhook signatures and print it once"},
      {"webhooks", "the partner's webhook events, dead letters included"},
      {"dashboard-token", "issue a dashboard token that sees only this partner"},
  };
  for (const auto& [name, description] : by_id) {
    auto* sub = partner->add_subcommand(name, description);
    partner_common.AddTo(sub);
    sub->add_option("--partner", pf.partner_id, "partner id")->required();
    if (std::string(name) == "rotate-secret") {
      sub->add_option("--grace-hours", grace_hours,
                      "hours the previous secret keeps working (default 24; 0: stops at once)");
    }
    by_id_commands[name] = sub;
  }

  // admin-token ...
  auto* admin_token = app.add_subcommand("admin-token", "operator tokens for the dashboard");
  admin_token->require_subcommand(1);
  CommonFlags admin_common;
  auto* a_create = admin_token->add_subcommand(
      "create", "issue an operator token (every partner, /metrics); printed once, stored hashed");
  admin_common.AddTo(a_create);

  // traveller ...
  auto* traveller = app.add_subcommand("traveller", "traveller personal data");
  traveller->require_subcommand(1);
  CommonFlags traveller_common;
  std::string erase_email;
  auto* t_erase = traveller->add_subcommand(
      "erase", "erase a traveller's names, email and phone from every booking (counts stay)");
  traveller_common.AddTo(t_erase);
  t_erase->add_option("--email", erase_email, "the traveller's email address")->required();

  // usage ...
  auto* usage = app.add_subcommand("usage", "billing usage");
  usage->require_subcommand(1);
  CommonFlags usage_common;
  std::string usage_month;
  std::optional<std::string> usage_partner;
  auto* u_export = usage->add_subcommand("export", "CSV of a month's bookings and packages");
  usage_common.AddTo(u_export);
  u_export->add_option("--month", usage_month, "UTC month, YYYY-MM")->required();
  u_export->add_option("--partner", usage_partner, "only this partner");

  // catalog ...
  auto* cat = app.add_subcommand("catalog", "manage the package catalog");
  cat->require_subcommand(1);
  CommonFlags catalog_common;
  std::string catalog_file;
  bool replace = false;
  auto* c_import = cat->add_subcommand("import", "import a catalog file (JSON or CSV), atomically");
  catalog_common.AddTo(c_import);
  c_import->add_option("file", catalog_file, "catalog file (.json or .csv)")->required();
  c_import->add_flag("--replace", replace, "retire packages missing from the file");
  auto* c_list = cat->add_subcommand("list", "print the catalog as JSON");
  catalog_common.AddTo(c_list);

  // inventory ...
  auto* inventory = app.add_subcommand("inventory", "the eSIM profile inventory");
  inventory->require_subcommand(1);
  CommonFlags inventory_common;
  std::string inventory_file;
  auto* i_import = inventory->add_subcommand("import", "import eSIM profiles (CSV), atomically");
  inventory_common.AddTo(i_import);
  i_import
      ->add_option("file", inventory_file,
                   "CSV: iccid,smdp_address,matching_id,confirmation_code,provider")
      ->required();
  auto* i_status = inventory->add_subcommand("status", "stock per provider");
  inventory_common.AddTo(i_status);

  // webhooks ...
  auto* webhooks_cmd = app.add_subcommand("webhooks", "partner webhook events");
  webhooks_cmd->require_subcommand(1);
  CommonFlags webhooks_common;
  std::string webhook_partner, webhook_event;
  bool only_failed = false;
  auto* w_list = webhooks_cmd->add_subcommand("list", "a partner's events, newest first");
  webhooks_common.AddTo(w_list);
  w_list->add_option("--partner", webhook_partner, "partner id")->required();
  w_list->add_flag("--failed", only_failed, "only dead-lettered events");
  auto* w_redeliver = webhooks_cmd->add_subcommand("redeliver", "send an event again");
  webhooks_common.AddTo(w_redeliver);
  w_redeliver->add_option("--event", webhook_event, "event id (evt_...)")->required();

  // mail ...
  auto* mail_cmd = app.add_subcommand("mail", "traveller emails");
  mail_cmd->require_subcommand(1);
  CommonFlags mail_common;
  std::string preview_booking, preview_out = "mail-preview";
  std::optional<std::string> preview_url;
  auto* m_preview = mail_cmd->add_subcommand("preview", "render a booking's email to files");
  mail_common.AddTo(m_preview);
  m_preview->add_option("--booking", preview_booking, "tripsim booking id (bk_...)")->required();
  m_preview->add_option("--out", preview_out, "output path without extension (.eml, .html added)");
  m_preview->add_option("--public-url", preview_url, "base URL of the links in the email");
  std::optional<std::string> failed_partner;
  int failed_limit = 50;
  auto* m_failed = mail_cmd->add_subcommand(
      "failed", "the emails that failed for good, newest first, with the reason (JSON)");
  mail_common.AddTo(m_failed);
  m_failed->add_option("--partner", failed_partner, "only this partner's (pt_...)");
  m_failed->add_option("--limit", failed_limit, "at most this many (default 50)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (serve->parsed()) {
    Result<Config> c = BuildConfig(serve_common, [&](Config& cfg) {
      if (listen) cfg.listen = *listen;
      if (mail) {
        cfg.mail = *mail;
        cfg.mail_explicit = true;
      }
      if (public_url) cfg.public_url = *public_url;
      if (metrics_public) cfg.metrics_public = true;
      if (tls_cert) cfg.tls_cert = *tls_cert;
      if (tls_key) cfg.tls_key = *tls_key;
    });
    if (!c.ok()) return Report(c.status());
    return Serve(*c);
  }
  if (migrate->parsed()) {
    return WithStore(migrate_common, false, [](store::Store&, const std::string&) {
      return Result<std::string>(std::string(R"({"migrated":true})"));
    });
  }
  if (p_create->parsed() || p_update->parsed() || p_strategy->parsed()) {
    Result<PartnerSpec> spec = pf.Spec();
    if (!spec.ok()) return Report(spec.status());
    return WithStore(partner_common, true, [&](store::Store& s, const std::string& key) {
      SystemClock clock;
      return p_create->parsed() ? CreatePartner(s, key, clock, *spec)
                                : UpdatePartner(s, key, pf.partner_id, *spec);
    });
  }
  if (p_list->parsed()) {
    return WithStore(partner_common, false,
                     [](store::Store& s, const std::string&) { return ListPartners(s); });
  }
  for (const auto& [name, sub] : by_id_commands) {
    if (!sub->parsed()) continue;
    const bool needs_key = name == "rotate-secret" || name == "rotate-webhook-secret";
    return WithStore(partner_common, needs_key,
                     [&, name = name](store::Store& s, const std::string& key) {
                       if (name == "rotate-secret") {
                         return RotateSecret(s, key, SystemClock(), pf.partner_id, grace_hours);
                       }
                       if (name == "rotate-webhook-secret") {
                         return RotateWebhookSecret(s, key, pf.partner_id);
                       }
                       if (name == "webhooks") return ListWebhooks(s, pf.partner_id, false);
                       if (name == "dashboard-token") return IssueDashboardToken(s, pf.partner_id);
                       return SetPartnerEnabled(s, pf.partner_id, name == "enable");
                     });
  }
  if (t_erase->parsed()) {
    return WithStore(traveller_common, false,
                     [&](store::Store& s, const std::string&) -> Result<std::string> {
                       TRIPSIM_ASSIGN_OR_RETURN(n, s.EraseTraveller(erase_email));
                       return boost::json::serialize(boost::json::object{{"erased_bookings", n}});
                     });
  }
  if (a_create->parsed()) {
    return WithStore(admin_common, false, [](store::Store& s, const std::string&) {
      return IssueDashboardToken(s, "");
    });
  }
  if (u_export->parsed()) {
    Result<Config> c = BuildConfig(usage_common, [](Config&) {});
    if (!c.ok()) return Report(c.status());
    Result<std::unique_ptr<store::Store>> store = OpenStore(*c);
    if (!store.ok()) return Report(store.status());
    if (usage_partner) {
      if (Status found = (*store)->GetPartner(*usage_partner).status(); !found.ok()) {
        return Report(found);
      }
    }
    Result<std::string> csv = dashboard::UsageCsv(**store, usage_month, usage_partner);
    if (!csv.ok()) return Report(csv.status());
    std::cout << *csv << std::flush;
    return 0;
  }
  if (i_import->parsed()) {
    return WithStore(
        inventory_common, false, [&](store::Store& s, const std::string&) -> Result<std::string> {
          std::ifstream in(inventory_file);
          if (!in) return InvalidArgument("cannot read " + inventory_file);
          std::stringstream ss;
          ss << in.rdbuf();
          std::cerr << "inventory: validating " << inventory_file << "\n";
          TRIPSIM_ASSIGN_OR_RETURN(profiles, catalog::ParseInventoryCsv(ss.str()));
          std::cerr << "inventory: importing " << profiles.size() << " profiles\n";
          TRIPSIM_RETURN_IF_ERROR(s.ImportInventory(profiles, SystemClock().NowMillis()));
          return boost::json::serialize(boost::json::object{{"imported", profiles.size()}});
        });
  }
  if (i_status->parsed()) {
    return WithStore(
        inventory_common, false, [](store::Store& s, const std::string&) -> Result<std::string> {
          TRIPSIM_ASSIGN_OR_RETURN(stock, s.InventoryStatus());
          boost::json::array out;
          for (const auto& p : stock) {
            out.emplace_back(boost::json::object{
                {"provider", p.provider}, {"available", p.available}, {"assigned", p.assigned}});
          }
          return boost::json::serialize(out);
        });
  }
  if (w_list->parsed()) {
    return WithStore(webhooks_common, false, [&](store::Store& s, const std::string&) {
      return ListWebhooks(s, webhook_partner, only_failed);
    });
  }
  if (w_redeliver->parsed()) {
    return WithStore(
        webhooks_common, false, [&](store::Store& s, const std::string&) -> Result<std::string> {
          TRIPSIM_RETURN_IF_ERROR(s.RequeueWebhook(webhook_event, SystemClock().NowMillis()));
          return boost::json::serialize(
              boost::json::object{{"event_id", webhook_event}, {"requeued", true}});
        });
  }
  if (m_preview->parsed()) {
    Result<Config> c = BuildConfig(mail_common, [&](Config& cfg) {
      if (preview_url) cfg.public_url = *preview_url;
    });
    if (!c.ok()) return Report(c.status());
    return WithStore(mail_common, false, [&](store::Store& s, const std::string&) {
      std::string url = c->public_url.empty() ? "http://" + c->listen : c->public_url;
      std::string from = c->mail_from.empty() ? "noreply@localhost" : c->mail_from;
      return PreviewMail(s, preview_booking, url, from, preview_out);
    });
  }
  if (m_failed->parsed()) {
    return WithStore(mail_common, false, [&](store::Store& s, const std::string&) {
      return ListFailedMail(s, failed_partner, failed_limit);
    });
  }
  if (c_import->parsed()) {
    return WithStore(
        catalog_common, false, [&](store::Store& s, const std::string&) -> Result<std::string> {
          std::ifstream in(catalog_file);
          if (!in) return InvalidArgument("cannot read " + catalog_file);
          std::stringstream ss;
          ss << in.rdbuf();
          bool csv =
              catalog_file.size() > 4 && catalog_file.substr(catalog_file.size() - 4) == ".csv";
          std::cerr << "catalog: validating " << catalog_file << "\n";
          TRIPSIM_ASSIGN_OR_RETURN(
              packages, catalog::ParseCatalogFile(
                            ss.str(), csv ? catalog::Format::kCsv : catalog::Format::kJson));
          std::cerr << "catalog: importing " << packages.size() << " packages\n";
          TRIPSIM_RETURN_IF_ERROR(s.UpsertPackages(packages, replace));
          return boost::json::serialize(
              boost::json::object{{"imported", packages.size()}, {"replace", replace}});
        });
  }
  if (c_list->parsed()) {
    return WithStore(
        catalog_common, false, [](store::Store& s, const std::string&) -> Result<std::string> {
          TRIPSIM_ASSIGN_OR_RETURN(packages, s.ListPackages());
          boost::json::array out;
          for (const auto& p : packages) {
            out.emplace_back(boost::json::object{{"id", p.id},
                                                 {"name", p.name},
                                                 {"data", domain::FormatDataSize(p.data_mb)},
                                                 {"validity_days", p.validity_days},
                                                 {"cost", domain::FormatMoney(p.cost)},
                                                 {"retired", p.retired}});
          }
          return boost::json::serialize(out);
        });
  }
  return kUsageError;
}

}  // namespace
}  // namespace tripsim::server

int main(int argc, char** argv) { return tripsim::server::Main(argc, argv); }
