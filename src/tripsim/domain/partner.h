// A partner (an online travel agency) and its settings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tripsim::domain {

struct Partner {
  std::string id;  // "pt_..."
  std::string name;
  std::string api_key;        // public; sent as x-api-key
  std::string secret_sealed;  // the API secret, AES-256-GCM sealed with the master key
  bool enabled = true;
  std::string strategy_json;                        // validated by the strategy component when set
  std::vector<std::string> destination_allow_list;  // alpha-2; empty = every destination
  std::vector<std::string> package_types;           // names; empty = data-limited and unlimited
  bool require_body_hash = false;
  std::string webhook_url;
  std::string webhook_secret_sealed;  // sealed like the API secret; empty without a webhook
  std::string email_from;
  std::string email_reply_to;
  std::string display_name;
  int reminder_days = 0;   // > 0: a reminder email this many days before departure
  double rate_limit = 0;   // API requests per second (burst: twice that); 0: unlimited
  int64_t created_at = 0;  // Unix millis
  // During a secret rotation the previous secret keeps working until previous_secret_until.
  std::string previous_secret_sealed;  // empty: none
  int64_t previous_secret_until = 0;   // Unix millis
  int daily_booking_limit = 0;         // bookings per UTC day; 0: no limit
  bool operator==(const Partner&) const = default;
};

}  // namespace tripsim::domain
