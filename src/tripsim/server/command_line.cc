#include "tripsim/server/command_line.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tripsim/base/log.h"
#include "tripsim/server/wiring.h"

namespace tripsim::server {
namespace {

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

void CommonFlags::AddTo(CLI::App* app) {
  app->add_option("--config", config_file, "TOML configuration file");
  app->add_option("--store", store,
                  "sqlite:PATH or postgresql://... (default sqlite:var/tripsim.db)");
  app->add_option("--env", env, "staging or production (default staging)")
      ->check(CLI::IsMember({"staging", "production"}));
}

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

Result<std::string> ReadFileText(const std::string& path) {
  std::ifstream in(path);
  if (!in) return InvalidArgument("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::string> InlineOrFile(const std::string& value) {
  if (value.empty() || value[0] != '@') return value;
  return ReadFileText(value.substr(1));
}

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

void PartnerFlags::AddSettings(CLI::App* app) {
  app->add_option("--name", name, "partner name");
  app->add_option("--strategy", strategy, "strategy JSON, or @file");
  app->add_option("--webhook-url", webhook_url, "URL that receives signed webhook events");
  app->add_option("--email-from", email_from, "From address of traveller emails");
  app->add_option("--email-reply-to", email_reply_to, "Reply-To address of traveller emails");
  app->add_option("--display-name", display_name, "name shown to travellers");
  app->add_option("--allow-list", allow_list, "allowed destination countries, comma-separated");
  app->add_option("--package-types", package_types,
                  "permitted package types, comma-separated (data-limited,unlimited,starter)");
  app->add_option("--rate-limit", rate_limit, "API requests per second, e.g. 20 or 20/s (0: none)");
  app->add_option("--daily-limit", daily_limit,
                  "bookings the partner may create per UTC day (0: no limit)");
  app->add_option("--reminder-days", reminder_days,
                  "email a reminder this many days before departure (0: none)");
  app->add_option("--require-body-hash", require_body_hash,
                  "require x-content-sha256 in signatures (true|false)")
      ->check(CLI::IsMember({"true", "false"}));
}

Result<PartnerSpec> PartnerFlags::Spec() const {
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

}  // namespace tripsim::server
