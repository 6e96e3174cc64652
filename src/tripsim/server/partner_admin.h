// Operator actions on partners (tripsimd partner ...): create with fresh credentials, update
// settings, enable/disable, rotate the secret. Each returns the JSON to print on stdout.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tripsim/base/clock.h"
#include "tripsim/base/status.h"
#include "tripsim/store/store.h"

namespace tripsim::server {

// Settings to create or change; absent fields are left as they are (or defaulted on create).
struct PartnerSpec {
  std::optional<std::string> name;
  std::optional<std::string> strategy_json;  // validated; the default strategy when absent
  std::optional<std::string> webhook_url;
  std::optional<std::string> email_from;
  std::optional<std::string> email_reply_to;
  std::optional<std::string> display_name;
  std::optional<bool> require_body_hash;
  std::optional<int> reminder_days;
  std::optional<double> rate_limit;                       // requests per second; 0: unlimited
  std::optional<int> daily_booking_limit;                 // bookings per UTC day; 0: none
  std::optional<std::vector<std::string>> allow_list;     // country codes (alpha-2 or -3)
  std::optional<std::vector<std::string>> package_types;  // type names
};

// {"partner_id","api_key","api_secret"[,"webhook_secret"]}
Result<std::string> CreatePartner(store::Store& store, const std::string& master_key,
                                  const Clock& clock, const PartnerSpec& spec);
// The partner as JSON (without secrets; but with "webhook_secret", once, when this update gave
// the partner its first webhook URL).
Result<std::string> UpdatePartner(store::Store& store, const std::string& master_key,
                                  const std::string& partner_id, const PartnerSpec& spec);
Result<std::string> SetPartnerEnabled(store::Store& store, const std::string& partner_id,
                                      bool enabled);
// {"partner_id","api_key","api_secret","previous_secret_valid_until"}: a new secret; the old
// one keeps working for `grace_hours` (0: it stops at once), so the partner can deploy the new
// one without failed requests.
Result<std::string> RotateSecret(store::Store& store, const std::string& master_key,
                                 const Clock& clock, const std::string& partner_id,
                                 int grace_hours);
// {"partner_id","webhook_url","webhook_secret"}: a new secret for the partner's webhook
// signatures, from the next delivery on; kFailedPrecondition without a webhook URL.
Result<std::string> RotateWebhookSecret(store::Store& store, const std::string& master_key,
                                        const std::string& partner_id);
// The partner's latest webhook events (newest first): id, event, status, attempts, error.
Result<std::string> ListWebhooks(store::Store& store, const std::string& partner_id,
                                 bool only_dead);

// {"token"} for the operator (partner_id empty), or {"token","partner_id"} for one partner's
// dashboard (kNotFound for an unknown partner). Shown once; the store keeps only its hash.
Result<std::string> IssueDashboardToken(store::Store& store, const std::string& partner_id);

// [partner...] without secrets.
Result<std::string> ListPartners(store::Store& store);

}  // namespace tripsim::server
