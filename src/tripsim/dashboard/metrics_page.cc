#include "tripsim/dashboard/metrics_page.h"

#include <map>

#include "tripsim/base/metrics.h"

namespace tripsim::dashboard {
namespace {

constexpr std::string_view kNoPartner = "none";  // attempts that named no known partner

double Seconds(int64_t millis) { return static_cast<double>(millis) / 1000.0; }

}  // namespace

Result<std::string> RenderMetricsPage(store::Store& store, int64_t now_millis) {
  const Date today = DateOfMillis(now_millis);
  TRIPSIM_ASSIGN_OR_RETURN(stats, store.QueryStats(Date{0}, Date{today.days + 1}, std::nullopt));
  std::map<std::string, domain::DayCounters> by_partner;
  domain::DayCounters all;
  for (const store::StatsRow& row : stats.rows) {
    by_partner[row.partner_id.empty() ? std::string(kNoPartner) : row.partner_id] += row.counters;
    all += row.counters;
  }

  std::vector<MetricFamily> families = Metrics::Global().Snapshot();
  MetricFamily attempts{
      "tripsim_booking_attempts_total", "Booking requests, by partner and outcome.", "counter", {}};
  MetricFamily codes{"tripsim_promo_codes_total",
                     "Promo codes issued, redeemed and revoked, by partner.",
                     "counter",
                     {}};
  for (const auto& [partner, c] : by_partner) {
    attempts.samples.push_back(
        {{{"partner", partner}, {"outcome", "accepted"}}, static_cast<double>(c.accepted), ""});
    for (size_t i = 0; i < domain::kFailureReasonCount; ++i) {
      std::string outcome(domain::FailureReasonName(static_cast<domain::FailureReason>(i)));
      attempts.samples.push_back(
          {{{"partner", partner}, {"outcome", outcome}}, static_cast<double>(c.failed[i]), ""});
    }
    if (partner == kNoPartner) continue;
    codes.samples.push_back(
        {{{"partner", partner}, {"state", "issued"}}, static_cast<double>(c.codes_issued), ""});
    codes.samples.push_back(
        {{{"partner", partner}, {"state", "redeemed"}}, static_cast<double>(c.codes_redeemed), ""});
    codes.samples.push_back(
        {{{"partner", partner}, {"state", "revoked"}}, static_cast<double>(c.codes_revoked), ""});
  }
  families.push_back(std::move(attempts));
  families.push_back(std::move(codes));
  families.push_back(
      {"tripsim_messages",
       "Messages by their current state.",
       "gauge",
       {{{{"state", "pending"}}, static_cast<double>(all.messages_pending), ""},
        {{{"state", "sent"}}, static_cast<double>(all.messages_sent), ""},
        {{{"state", "failed"}}, static_cast<double>(all.messages_failed), ""},
        {{{"state", "cancelled"}}, static_cast<double>(all.messages_cancelled), ""}}});

  TRIPSIM_ASSIGN_OR_RETURN(depth, store.QueueDepth(now_millis));
  auto age = [&](const std::optional<int64_t>& due) {
    return due ? Seconds(std::max<int64_t>(0, now_millis - *due)) : 0.0;
  };
  families.push_back({"tripsim_outbox_depth",
                      "Outbox items due for delivery now.",
                      "gauge",
                      {{{{"outbox", "messages"}}, static_cast<double>(depth.messages), ""},
                       {{{"outbox", "webhooks"}}, static_cast<double>(depth.webhooks), ""}}});
  families.push_back({"tripsim_outbox_oldest_age_seconds",
                      "How long the oldest due outbox item has waited (0 when none).",
                      "gauge",
                      {{{{"outbox", "messages"}}, age(depth.oldest_message_due_at), ""},
                       {{{"outbox", "webhooks"}}, age(depth.oldest_webhook_due_at), ""}}});

  TRIPSIM_ASSIGN_OR_RETURN(stock, store.InventoryStatus());
  MetricFamily inventory{
      "tripsim_inventory_profiles", "eSIM profiles in stock, by provider and state.", "gauge", {}};
  for (const store::ProviderStock& s : stock) {
    inventory.samples.push_back(
        {{{"provider", s.provider}, {"state", "available"}}, static_cast<double>(s.available), ""});
    inventory.samples.push_back(
        {{{"provider", s.provider}, {"state", "assigned"}}, static_cast<double>(s.assigned), ""});
  }
  families.push_back(std::move(inventory));
  return RenderMetrics(families);
}

}  // namespace tripsim::dashboard
