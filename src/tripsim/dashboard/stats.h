// The dashboard's numbers (design.md sections 6 and 10): the store's day counters summed per
// partner, per day and in total, with rates and send-time percentiles, as the JSON of
// GET /api/admin/stats.
//
//   Result<StatsReport> r = BuildStats(store, {.from = d1, .to = d2, .partner_id = "pt_1"});
//   std::string body = EncodeStats(*r);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tripsim/base/date.h"
#include "tripsim/base/status.h"
#include "tripsim/domain/stats.h"
#include "tripsim/store/store.h"

namespace tripsim::dashboard {

struct StatsQuery {
  Date from;
  Date to;                                // inclusive
  std::optional<std::string> partner_id;  // one partner, or all (with unattributed attempts)
};

// Counters with the send-time histogram they came with.
struct Figures {
  domain::DayCounters counters;
  std::vector<std::pair<int64_t, int64_t>> send_steps;  // (steps, count), ascending steps

  std::optional<double> success_rate() const;     // accepted / attempted
  std::optional<double> activation_rate() const;  // redeemed / (issued - revoked)
  // Nearest-rank percentile (0 < q <= 1) of the seconds to send; nullopt when none was sent.
  std::optional<double> SecondsToSend(double q) const;
};

struct PartnerFigures {
  std::string partner_id;
  std::string name;
  Figures figures;
};

struct DayFigures {
  Date date;
  Figures figures;
};

struct StatsReport {
  Date from;
  Date to;
  Figures totals;
  std::vector<PartnerFigures> partners;  // every partner in scope, zeros included
  std::vector<DayFigures> daily;         // every day from..to
  // The latest emails that failed for good in scope (whatever their day), newest first: what
  // the failed counts are made of.
  std::vector<store::FailedMessage> failed_messages;
};

// How many of the latest failed emails the report carries.
inline constexpr int kFailedMessagesShown = 10;

// Largest range one request may ask for.
inline constexpr int kMaxStatsDays = 366;

Result<StatsReport> BuildStats(store::Store& store, const StatsQuery& query);
std::string EncodeStats(const StatsReport& report);
// [{"message_id","booking_id","partner_id","recipient","attempts","created_at","last_error"}]:
// failed emails as the report and `tripsimd mail failed` show them.
std::string EncodeFailedMessages(const std::vector<store::FailedMessage>& messages);

}  // namespace tripsim::dashboard
