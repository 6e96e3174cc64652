#include "tripsim/dashboard/stats.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <boost/json.hpp>

#include "tripsim/base/json_text.h"

namespace tripsim::dashboard {
namespace {

namespace json = boost::json;

json::value Nullable(std::optional<double> v) { return v ? json::value(*v) : json::value(nullptr); }

json::object EncodeFigures(const Figures& f) {
  const domain::DayCounters& c = f.counters;
  json::object reasons;
  for (size_t i = 0; i < domain::kFailureReasonCount; ++i) {
    reasons[domain::FailureReasonName(static_cast<domain::FailureReason>(i))] = c.failed[i];
  }
  json::object out;
  out["bookings"] = json::object{{"attempted", c.attempted()},
                                 {"accepted", c.accepted},
                                 {"failed", c.failures()},
                                 {"success_rate", Nullable(f.success_rate())},
                                 {"failures_by_reason", std::move(reasons)}};
  out["messages"] = json::object{{"pending", c.messages_pending},
                                 {"sent", c.messages_sent},
                                 {"failed", c.messages_failed},
                                 {"cancelled", c.messages_cancelled},
                                 {"p50_seconds_to_send", Nullable(f.SecondsToSend(0.50))},
                                 {"p95_seconds_to_send", Nullable(f.SecondsToSend(0.95))}};
  out["promo_codes"] = json::object{{"issued", c.codes_issued},
                                    {"redeemed", c.codes_redeemed},
                                    {"activation_rate", Nullable(f.activation_rate())}};
  return out;
}

}  // namespace

std::optional<double> Figures::success_rate() const {
  const int64_t attempted = counters.attempted();
  if (attempted == 0) return std::nullopt;
  return static_cast<double>(counters.accepted) / static_cast<double>(attempted);
}

std::optional<double> Figures::activation_rate() const {
  const int64_t live = counters.codes_issued - counters.codes_revoked;
  if (live <= 0) return std::nullopt;
  return static_cast<double>(counters.codes_redeemed) / static_cast<double>(live);
}

std::optional<double> Figures::SecondsToSend(double q) const {
  int64_t total = 0;
  for (const auto& [steps, n] : send_steps) total += n;
  if (total == 0) return std::nullopt;
  const auto rank = static_cast<int64_t>(std::ceil(q * static_cast<double>(total)));
  int64_t seen = 0;
  for (const auto& [steps, n] : send_steps) {
    seen += n;
    if (seen >= rank) {
      return static_cast<double>(steps * domain::kSendTimeStepMillis) / 1000.0;
    }
  }
  return static_cast<double>(send_steps.back().first * domain::kSendTimeStepMillis) / 1000.0;
}

Result<StatsReport> BuildStats(store::Store& store, const StatsQuery& query) {
  TRIPSIM_ASSIGN_OR_RETURN(data, store.QueryStats(query.from, query.to, query.partner_id));
  TRIPSIM_ASSIGN_OR_RETURN(all_partners, store.ListPartners());
  StatsReport report{query.from, query.to, {}, {}, {}, {}};
  std::map<std::string, size_t> partner_index;
  std::sort(all_partners.begin(), all_partners.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  for (const domain::Partner& p : all_partners) {
    if (query.partner_id && p.id != *query.partner_id) continue;
    partner_index[p.id] = report.partners.size();
    report.partners.push_back({p.id, p.name, {}});
  }
  for (Date d = query.from; d <= query.to; d.days += 1) report.daily.push_back({d, {}});
  auto day_of = [&](Date d) -> Figures& { return report.daily[d.days - query.from.days].figures; };

  for (const store::StatsRow& row : data.rows) {
    report.totals.counters += row.counters;
    day_of(row.day).counters += row.counters;
    if (auto it = partner_index.find(row.partner_id); it != partner_index.end()) {
      report.partners[it->second].figures.counters += row.counters;
    }
  }
  // Histograms: merge per day, per partner and in total.
  std::map<int32_t, std::map<int64_t, int64_t>> by_day;
  std::map<std::string, std::map<int64_t, int64_t>> by_partner;
  std::map<int64_t, int64_t> total;
  for (const store::SendTimeBucket& b : data.send_times) {
    by_day[b.day.days][b.steps] += b.count;
    by_partner[b.partner_id][b.steps] += b.count;
    total[b.steps] += b.count;
  }
  auto assign = [](Figures& f, const std::map<int64_t, int64_t>& m) {
    f.send_steps.assign(m.begin(), m.end());
  };
  assign(report.totals, total);
  for (const auto& [day, m] : by_day) assign(day_of(Date{day}), m);
  for (const auto& [partner, m] : by_partner) {
    if (auto it = partner_index.find(partner); it != partner_index.end()) {
      assign(report.partners[it->second].figures, m);
    }
  }
  TRIPSIM_ASSIGN_OR_RETURN(failed,
                           store.ListFailedMessages(query.partner_id, kFailedMessagesShown));
  report.failed_messages = std::move(failed);
  return report;
}

namespace {

json::array EncodeFailed(const std::vector<store::FailedMessage>& messages) {
  json::array out;
  for (const store::FailedMessage& f : messages) {
    out.push_back(json::object{
        {"message_id", f.message_id},
        {"booking_id", f.booking_id},
        {"partner_id", f.partner_id},
        {"recipient", f.recipient.empty() ? json::value(nullptr) : json::value(f.recipient)},
        {"attempts", f.attempts},
        {"created_at", FormatTimestamp(f.created_at)},
        {"last_error", f.last_error}});
  }
  return out;
}

}  // namespace

std::string EncodeFailedMessages(const std::vector<store::FailedMessage>& messages) {
  return json::serialize(EncodeFailed(messages));
}

std::string EncodeStats(const StatsReport& report) {
  json::array partners;
  for (const PartnerFigures& p : report.partners) {
    json::object o{{"partner_id", p.partner_id}, {"name", p.name}};
    for (auto& [k, v] : EncodeFigures(p.figures)) o[k] = v;
    partners.push_back(std::move(o));
  }
  json::array daily;
  for (const DayFigures& d : report.daily) {
    json::object o{{"date", FormatDate(d.date)}};
    for (auto& [k, v] : EncodeFigures(d.figures)) o[k] = v;
    daily.push_back(std::move(o));
  }
  json::object out{{"from", FormatDate(report.from)},
                   {"to", FormatDate(report.to)},
                   {"totals", EncodeFigures(report.totals)},
                   {"partners", std::move(partners)},
                   {"daily", std::move(daily)},
                   {"failed_messages", EncodeFailed(report.failed_messages)}};
  return JsonText(out);  // rates as 0.5, not 5E-1
}

}  // namespace tripsim::dashboard
