#include "tripsim/server/partner_admin.h"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/json.hpp>

#include "tripsim/base/clock.h"
#include "tripsim/base/crypto.h"
#include "tripsim/base/ids.h"
#include "tripsim/base/json_text.h"
#include "tripsim/base/log.h"
#include "tripsim/dashboard/access.h"
#include "tripsim/domain/geography.h"
#include "tripsim/strategy/strategy_config.h"

namespace tripsim::server {
namespace json = boost::json;
using domain::Partner;

namespace {

std::string NewSecret() { return crypto::HexEncode(crypto::RandomBytes(32)); }

bool ValidUrl(const std::string& url) {
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return false;
  return url.find_first_of(" \r\n\t") == std::string::npos && url.size() <= 2000;
}

bool ValidHeaderValue(const std::string& v) {
  return v.size() <= 200 && v.find_first_of("\r\n") == std::string::npos;
}

// Applies `spec` to `p`; names every invalid setting.
Status Apply(const PartnerSpec& spec, const std::string& master_key, Partner& p) {
  std::vector<FieldIssue> issues;
  if (spec.name) {
    if (spec.name->empty() || spec.name->size() > 200)
      issues.push_back({"name", "must be 1-200 characters", {}});
    p.name = *spec.name;
  }
  if (spec.strategy_json) {
    auto s = strategy::ParseStrategy(*spec.strategy_json);
    if (!s.ok()) {
      if (s.status().details().empty()) issues.push_back({"strategy", s.status().message(), {}});
      for (const auto& d : s.status().details())
        issues.push_back({"strategy." + d.field, d.issue, {}});
    }
    p.strategy_json = *spec.strategy_json;
  }
  if (spec.webhook_url) {
    if (!spec.webhook_url->empty() && !ValidUrl(*spec.webhook_url)) {
      issues.push_back({"webhook_url", "must be an http:// or https:// URL", {}});
    }
    p.webhook_url = *spec.webhook_url;
    if (!p.webhook_url.empty() && p.webhook_secret_sealed.empty()) {
      TRIPSIM_ASSIGN_OR_RETURN(sealed, crypto::Seal(master_key, NewSecret()));
      p.webhook_secret_sealed = sealed;
    }
  }
  for (auto [value, field, target] :
       {std::tuple{&spec.email_from, "email_from", &p.email_from},
        std::tuple{&spec.email_reply_to, "email_reply_to", &p.email_reply_to},
        std::tuple{&spec.display_name, "display_name", &p.display_name}}) {
    if (!*value) continue;
    if (!ValidHeaderValue(**value))
      issues.push_back({field, "must be one line of at most 200 characters", {}});
    *target = **value;
  }
  if (spec.require_body_hash) p.require_body_hash = *spec.require_body_hash;
  if (spec.rate_limit) {
    if (*spec.rate_limit < 0 || *spec.rate_limit > 100000) {
      issues.push_back({"rate_limit", "must be 0 (unlimited) to 100000 requests per second", {}});
    }
    p.rate_limit = *spec.rate_limit;
  }
  if (spec.daily_booking_limit) {
    if (*spec.daily_booking_limit < 0 || *spec.daily_booking_limit > 100'000'000) {
      issues.push_back({"daily_booking_limit", "must be 0 (none) to 100000000", {}});
    }
    p.daily_booking_limit = *spec.daily_booking_limit;
  }
  if (spec.reminder_days) {
    if (*spec.reminder_days < 0 || *spec.reminder_days > 60) {
      issues.push_back({"reminder_days", "must be 0 (no reminder) to 60", {}});
    }
    p.reminder_days = *spec.reminder_days;
  }
  if (spec.allow_list) {
    p.destination_allow_list.clear();
    for (const auto& code : *spec.allow_list) {
      const domain::Country* c = domain::Geography::Builtin().FindCountry(code);
      if (!c) {
        issues.push_back({"allow_list", "unknown country code '" + code + "'", {}});
      } else {
        p.destination_allow_list.push_back(c->alpha2);
      }
    }
  }
  if (spec.package_types) {
    p.package_types.clear();
    for (const auto& t : *spec.package_types) {
      auto type = domain::ParsePackageType(t);
      if (!type) {
        issues.push_back({"package_types", "unknown package type '" + t + "'", {}});
      } else {
        p.package_types.emplace_back(domain::PackageTypeName(*type));
      }
    }
  }
  if (!issues.empty()) return InvalidArgument("invalid partner settings", std::move(issues));
  return Status::Ok();
}

json::object Describe(const Partner& p) {
  json::array allow;
  for (const auto& c : p.destination_allow_list) allow.emplace_back(c);
  json::array types;
  for (const auto& t : p.package_types) types.emplace_back(t);
  return {{"partner_id", p.id},
          {"name", p.name},
          {"api_key", p.api_key},
          {"enabled", p.enabled},
          {"strategy", json::parse(p.strategy_json)},
          {"destination_allow_list", std::move(allow)},
          {"package_types", std::move(types)},
          {"require_body_hash", p.require_body_hash},
          {"webhook_url", p.webhook_url},
          {"email_from", p.email_from},
          {"email_reply_to", p.email_reply_to},
          {"display_name", p.display_name},
          {"reminder_days", p.reminder_days},
          {"rate_limit", p.rate_limit},
          {"daily_booking_limit", p.daily_booking_limit}};
}

// Partners are told apart by name on the dashboard and in usage exports, so a second partner
// of the same name (in any case) is worth a warning (a setup script run twice?); it is not
// refused: names are the operator's to choose.
void WarnWhenNameIsTaken(store::Store& store, const std::string& name, const std::string& self_id) {
  Result<std::vector<Partner>> partners = store.ListPartners();
  if (!partners.ok()) return;
  for (const Partner& other : *partners) {
    if (other.id != self_id && boost::algorithm::iequals(other.name, name)) {
      log::Warn("partner.name_taken", {{"name", other.name}, {"partner_id", other.id}});
      return;
    }
  }
}

}  // namespace

Result<std::string> CreatePartner(store::Store& store, const std::string& master_key,
                                  const Clock& clock, const PartnerSpec& spec) {
  if (!spec.name) return InvalidArgument("a partner needs a --name");
  WarnWhenNameIsTaken(store, *spec.name, "");
  Partner p;
  p.id = NewId("pt_");
  p.api_key = NewId("tk_");
  p.strategy_json = std::string(strategy::kDefaultStrategyJson);
  p.created_at = clock.NowMillis();
  TRIPSIM_RETURN_IF_ERROR(Apply(spec, master_key, p));
  std::string secret = NewSecret();
  TRIPSIM_ASSIGN_OR_RETURN(sealed, crypto::Seal(master_key, secret));
  p.secret_sealed = sealed;
  TRIPSIM_RETURN_IF_ERROR(store.CreatePartner(p));
  json::object out{{"partner_id", p.id}, {"api_key", p.api_key}, {"api_secret", secret}};
  if (!p.webhook_secret_sealed.empty()) {
    TRIPSIM_ASSIGN_OR_RETURN(webhook_secret, crypto::Open(master_key, p.webhook_secret_sealed));
    out["webhook_secret"] = webhook_secret;
  }
  return json::serialize(out);
}

Result<std::string> UpdatePartner(store::Store& store, const std::string& master_key,
                                  const std::string& partner_id, const PartnerSpec& spec) {
  TRIPSIM_ASSIGN_OR_RETURN(p, store.GetPartner(partner_id));
  if (spec.name) WarnWhenNameIsTaken(store, *spec.name, p.id);
  const bool had_webhook_secret = !p.webhook_secret_sealed.empty();
  TRIPSIM_RETURN_IF_ERROR(Apply(spec, master_key, p));
  TRIPSIM_RETURN_IF_ERROR(store.UpdatePartner(p));
  json::object out = Describe(p);
  // The partner's first webhook URL came with a secret to verify its events: shown this once.
  if (!had_webhook_secret && !p.webhook_secret_sealed.empty()) {
    TRIPSIM_ASSIGN_OR_RETURN(webhook_secret, crypto::Open(master_key, p.webhook_secret_sealed));
    out["webhook_secret"] = webhook_secret;
  }
  return JsonText(out);
}

Result<std::string> RotateWebhookSecret(store::Store& store, const std::string& master_key,
                                        const std::string& partner_id) {
  TRIPSIM_ASSIGN_OR_RETURN(p, store.GetPartner(partner_id));
  if (p.webhook_url.empty()) {
    return Status(ErrorCode::kFailedPrecondition,
                  "partner " + partner_id + " has no webhook URL (partner update --webhook-url)");
  }
  std::string secret = NewSecret();
  TRIPSIM_ASSIGN_OR_RETURN(sealed, crypto::Seal(master_key, secret));
  p.webhook_secret_sealed = sealed;
  TRIPSIM_RETURN_IF_ERROR(store.UpdatePartner(p));
  return json::serialize(json::object{
      {"partner_id", p.id}, {"webhook_url", p.webhook_url}, {"webhook_secret", secret}});
}

Result<std::string> SetPartnerEnabled(store::Store& store, const std::string& partner_id,
                                      bool enabled) {
  TRIPSIM_ASSIGN_OR_RETURN(p, store.GetPartner(partner_id));
  p.enabled = enabled;
  TRIPSIM_RETURN_IF_ERROR(store.UpdatePartner(p));
  return JsonText(Describe(p));
}

Result<std::string> RotateSecret(store::Store& store, const std::string& master_key,
                                 const Clock& clock, const std::string& partner_id,
                                 int grace_hours) {
  if (grace_hours < 0 || grace_hours > 24 * 30) {
    return InvalidArgument("--grace-hours must be 0 to 720");
  }
  TRIPSIM_ASSIGN_OR_RETURN(p, store.GetPartner(partner_id));
  std::string secret = NewSecret();
  TRIPSIM_ASSIGN_OR_RETURN(sealed, crypto::Seal(master_key, secret));
  p.previous_secret_sealed = grace_hours > 0 ? p.secret_sealed : "";
  p.previous_secret_until = clock.NowMillis() + int64_t{grace_hours} * 3'600'000;
  p.secret_sealed = sealed;
  TRIPSIM_RETURN_IF_ERROR(store.UpdatePartner(p));
  json::object out{{"partner_id", p.id}, {"api_key", p.api_key}, {"api_secret", secret}};
  out["previous_secret_valid_until"] = grace_hours > 0
                                           ? json::value(FormatTimestamp(p.previous_secret_until))
                                           : json::value(nullptr);
  return json::serialize(out);
}

Result<std::string> ListWebhooks(store::Store& store, const std::string& partner_id,
                                 bool only_dead) {
  TRIPSIM_RETURN_IF_ERROR(store.GetPartner(partner_id).status());
  TRIPSIM_ASSIGN_OR_RETURN(events, store.ListWebhookEvents(partner_id, 100));
  json::array out;
  for (const auto& e : events) {
    if (only_dead && e.status != "DEAD") continue;
    out.emplace_back(json::object{{"event_id", e.id},
                                  {"event", e.event},
                                  {"booking_id", e.booking_id},
                                  {"status", e.status},
                                  {"attempts", e.attempts},
                                  {"last_error", e.last_error}});
  }
  return json::serialize(out);
}

Result<std::string> ListPartners(store::Store& store) {
  TRIPSIM_ASSIGN_OR_RETURN(partners, store.ListPartners());
  json::array out;
  for (const auto& p : partners) out.emplace_back(Describe(p));
  return JsonText(json::value(std::move(out)));
}

Result<std::string> IssueDashboardToken(store::Store& store, const std::string& partner_id) {
  if (!partner_id.empty()) TRIPSIM_RETURN_IF_ERROR(store.GetPartner(partner_id).status());
  TRIPSIM_ASSIGN_OR_RETURN(
      token, dashboard::IssueAccessToken(store, partner_id, SystemClock().NowMillis()));
  boost::json::object out{{"token", token}};
  if (!partner_id.empty()) out["partner_id"] = partner_id;
  return boost::json::serialize(out);
}

}  // namespace tripsim::server
