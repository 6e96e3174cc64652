// tripsimd's partner, admin-token, traveller and usage subcommands.
#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <utility>

#include "tripsim/base/clock.h"
#include "tripsim/dashboard/usage.h"
#include "tripsim/server/command_line.h"
#include "tripsim/server/wiring.h"

namespace tripsim::server {
namespace {

// partner create | update | set-strategy | list, and those that act on one partner by id.
void AddPartner(CLI::App& app, Commands& out) {
  struct Flags {
    CommonFlags common;
    PartnerFlags partner;
    int grace_hours = 24;
  };
  auto f = std::make_shared<Flags>();
  auto* partner = app.add_subcommand("partner", "manage partners");
  partner->require_subcommand(1);

  auto* create = partner->add_subcommand("create", "create a partner and print its credentials");
  f->common.AddTo(create);
  f->partner.AddSettings(create);
  auto* update = partner->add_subcommand("update", "change a partner's settings");
  f->common.AddTo(update);
  update->add_option("--partner", f->partner.partner_id, "partner id")->required();
  f->partner.AddSettings(update);
  auto* strategy = partner->add_subcommand("set-strategy", "set a partner's package strategy");
  f->common.AddTo(strategy);
  strategy->add_option("--partner", f->partner.partner_id, "partner id")->required();
  strategy->add_option("--strategy", f->partner.strategy, "strategy JSON, or @file")->required();
  auto write = [f, create] {
    Result<PartnerSpec> spec = f->partner.Spec();
    if (!spec.ok()) return Report(spec.status());
    return WithStore(f->common, true, [&](store::Store& s, const std::string& key) {
      SystemClock clock;
      return create->parsed() ? CreatePartner(s, key, clock, *spec)
                              : UpdatePartner(s, key, f->partner.partner_id, *spec);
    });
  };
  out.push_back({create, write});
  out.push_back({update, write});
  out.push_back({strategy, write});

  auto* list = partner->add_subcommand("list", "list partners (no secrets)");
  f->common.AddTo(list);
  out.push_back({list, [f] {
                   return WithStore(f->common, false, [](store::Store& s, const std::string&) {
                     return ListPartners(s);
                   });
                 }});

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
    f->common.AddTo(sub);
    sub->add_option("--partner", f->partner.partner_id, "partner id")->required();
    const std::string command = name;
    if (command == "rotate-secret") {
      sub->add_option("--grace-hours", f->grace_hours,
                      "hours the previous secret keeps working (default 24; 0: stops at once)");
    }
    const bool needs_key = command == "rotate-secret" || command == "rotate-webhook-secret";
    out.push_back({sub, [f, command, needs_key] {
                     return WithStore(
                         f->common, needs_key,
                         [&](store::Store& s, const std::string& key) -> Result<std::string> {
                           const std::string& id = f->partner.partner_id;
                           if (command == "rotate-secret") {
                             return RotateSecret(s, key, SystemClock(), id, f->grace_hours);
                           }
                           if (command == "rotate-webhook-secret") {
                             return RotateWebhookSecret(s, key, id);
                           }
                           if (command == "webhooks") return ListWebhooks(s, id, false);
                           if (command == "dashboard-token") return IssueDashboardToken(s, id);
                           return SetPartnerEnabled(s, id, command == "enable");
                         });
                   }});
  }
}

// admin-token create.
void AddAdminToken(CLI::App& app, Commands& out) {
  auto common = std::make_shared<CommonFlags>();
  auto* admin_token = app.add_subcommand("admin-token", "operator tokens for the dashboard");
  admin_token->require_subcommand(1);
  auto* create = admin_token->add_subcommand(
      "create", "issue an operator token (every partner, /metrics); printed once, stored hashed");
  common->AddTo(create);
  out.push_back({create, [common] {
                   return WithStore(*common, false, [](store::Store& s, const std::string&) {
                     return IssueDashboardToken(s, "");
                   });
                 }});
}

// traveller erase.
void AddTraveller(CLI::App& app, Commands& out) {
  struct Flags {
    CommonFlags common;
    std::string email;
  };
  auto f = std::make_shared<Flags>();
  auto* traveller = app.add_subcommand("traveller", "traveller personal data");
  traveller->require_subcommand(1);
  auto* erase = traveller->add_subcommand(
      "erase", "erase a traveller's names, email and phone from every booking (counts stay)");
  f->common.AddTo(erase);
  erase->add_option("--email", f->email, "the traveller's email address")->required();
  out.push_back({erase, [f] {
                   return WithStore(
                       f->common, false,
                       [&](store::Store& s, const std::string&) -> Result<std::string> {
                         TRIPSIM_ASSIGN_OR_RETURN(n, s.EraseTraveller(f->email));
                         return boost::json::serialize(boost::json::object{{"erased_bookings", n}});
                       });
                 }});
}

// usage export: CSV on stdout, not JSON.
void AddUsage(CLI::App& app, Commands& out) {
  struct Flags {
    CommonFlags common;
    std::string month;
    std::optional<std::string> partner;
  };
  auto f = std::make_shared<Flags>();
  auto* usage = app.add_subcommand("usage", "billing usage");
  usage->require_subcommand(1);
  auto* export_csv = usage->add_subcommand("export", "CSV of a month's bookings and packages");
  f->common.AddTo(export_csv);
  export_csv->add_option("--month", f->month, "UTC month, YYYY-MM")->required();
  export_csv->add_option("--partner", f->partner, "only this partner");
  out.push_back({export_csv, [f] {
                   Result<Config> c = BuildConfig(f->common, [](Config&) {});
                   if (!c.ok()) return Report(c.status());
                   Result<std::unique_ptr<store::Store>> store = OpenStore(*c);
                   if (!store.ok()) return Report(store.status());
                   if (f->partner) {
                     if (Status found = (*store)->GetPartner(*f->partner).status(); !found.ok()) {
                       return Report(found);
                     }
                   }
                   Result<std::string> csv = dashboard::UsageCsv(**store, f->month, f->partner);
                   if (!csv.ok()) return Report(csv.status());
                   std::cout << *csv << std::flush;
                   return 0;
                 }});
}

}  // namespace

void AddPartnerCommands(CLI::App& app, Commands& out) {
  AddPartner(app, out);
  AddAdminToken(app, out);
  AddTraveller(app, out);
  AddUsage(app, out);
}

}  // namespace tripsim::server
