// MemoryStore's outboxes, dashboard counters (computed from the rows), tokens, usage and
// erasure.
#include <algorithm>
#include <tuple>

#include "tripsim/base/clock.h"
#include "tripsim/store/memory_store_impl.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store {

using domain::Booking;

Result<std::vector<OutboxItem>> MemoryStore::ClaimDueMessages(int64_t now, int64_t lease_until,
                                                              int limit) {
  std::lock_guard lock(mu_);
  std::vector<OutboxItem> out;
  for (auto& [id, b] : bookings_) {
    for (auto& m : b.messages) {
      if (static_cast<int>(out.size()) >= limit) return out;
      if (m.status != domain::MessageStatus::kPending || m.due_at > now) continue;
      auto lease = leases_.find(m.id);
      if (lease != leases_.end() && lease->second > now) continue;
      leases_[m.id] = lease_until;
      ++m.attempts;
      out.push_back({m, b});
    }
  }
  return out;
}

Status MemoryStore::MarkMessageSent(const std::string& message_id, int64_t sent_at) {
  return UpdateMessage(message_id, [&](Booking& b, domain::Message& m) {
    m.status = domain::MessageStatus::kSent;
    m.sent_at = sent_at;
    Enqueue(b, "message.sent", m.id, sent_at);
  });
}

Status MemoryStore::MarkMessageFailed(const std::string& message_id, const std::string& error,
                                      std::optional<int64_t> retry_at) {
  return UpdateMessage(message_id, [&](Booking& b, domain::Message& m) {
    m.last_error = error;
    if (retry_at) {
      m.due_at = *retry_at;
    } else {
      m.status = domain::MessageStatus::kFailed;
      Enqueue(b, "message.failed", m.id, SystemClock().NowMillis());
    }
  });
}

Result<std::vector<FailedMessage>> MemoryStore::ListFailedMessages(
    const std::optional<std::string>& partner_id, int limit) {
  std::lock_guard lock(mu_);
  std::vector<FailedMessage> out;
  for (auto id = order_.rbegin(); id != order_.rend(); ++id) {  // newest booking first
    auto found = bookings_.find(*id);
    if (found == bookings_.end()) continue;
    const Booking& b = found->second;
    if (partner_id && b.partner_id != *partner_id) continue;
    for (auto m = b.messages.rbegin(); m != b.messages.rend(); ++m) {
      if (m->status != domain::MessageStatus::kFailed) continue;
      out.push_back(
          {m->id, b.id, b.partner_id, m->recipient, m->attempts, m->created_at, m->last_error});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const FailedMessage& a, const FailedMessage& b) {
    return a.created_at > b.created_at;
  });
  if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
  return out;
}

Result<std::vector<WebhookEvent>> MemoryStore::ClaimDueWebhooks(int64_t now, int64_t lease_until,
                                                                int limit) {
  std::lock_guard lock(mu_);
  std::vector<WebhookEvent> out;
  for (auto& w : webhooks_) {
    if (static_cast<int>(out.size()) >= limit) break;
    if (w.event.status != "PENDING" || w.due_at > now || w.lease_until > now) continue;
    w.lease_until = lease_until;
    ++w.event.attempts;
    out.push_back(w.event);
  }
  return out;
}

Status MemoryStore::MarkWebhookDelivered(const std::string& event_id, int64_t) {
  return UpdateWebhook(event_id, [](QueuedWebhook& w) { w.event.status = "DELIVERED"; });
}

Status MemoryStore::MarkWebhookFailed(const std::string& event_id, const std::string& error,
                                      std::optional<int64_t> retry_at) {
  return UpdateWebhook(event_id, [&](QueuedWebhook& w) {
    w.event.last_error = error;
    if (retry_at) {
      w.due_at = *retry_at;
    } else {
      w.event.status = "DEAD";
    }
  });
}

Status MemoryStore::RequeueWebhook(const std::string& event_id, int64_t now) {
  return UpdateWebhook(event_id, [&](QueuedWebhook& w) {
    w.event.status = "PENDING";
    w.due_at = now;
  });
}

Result<std::vector<WebhookEvent>> MemoryStore::ListWebhookEvents(const std::string& partner_id,
                                                                 int limit) {
  std::lock_guard lock(mu_);
  std::vector<WebhookEvent> out;
  for (auto it = webhooks_.rbegin(); it != webhooks_.rend() && static_cast<int>(out.size()) < limit;
       ++it) {
    if (it->event.partner_id == partner_id) out.push_back(it->event);
  }
  return out;
}

Status MemoryStore::RecordFailedAttempts(const std::vector<FailedAttempt>& attempts) {
  std::lock_guard lock(mu_);
  for (const FailedAttempt& a : attempts) {
    failures_[{DateOfMillis(a.at).days, a.partner_id}][domain::Index(a.reason)] += a.count;
  }
  return Status::Ok();
}

Result<StatsData> MemoryStore::QueryStats(Date from, Date to,
                                          const std::optional<std::string>& partner_id) {
  std::lock_guard lock(mu_);
  std::map<std::pair<int32_t, std::string>, domain::DayCounters> counters;
  std::map<std::tuple<int32_t, std::string, int64_t>, int64_t> times;
  auto wanted = [&](Date day, const std::string& partner) {
    return day >= from && day <= to && (!partner_id || *partner_id == partner);
  };
  for (const auto& [key, failed] : failures_) {
    if (!wanted(Date{key.first}, key.second)) continue;
    for (size_t i = 0; i < failed.size(); ++i) counters[key].failed[i] += failed[i];
  }
  for (const auto& [id, b] : bookings_) {
    const Date day = DateOfMillis(b.created_at);
    if (wanted(day, b.partner_id)) {
      domain::DayCounters& c = counters[{day.days, b.partner_id}];
      c.accepted += 1;
      for (const auto& p : b.promo_codes) {
        c.codes_issued += 1;
        c.codes_redeemed += p.status == domain::PromoStatus::kRedeemed;
        c.codes_revoked += p.status == domain::PromoStatus::kRevoked;
      }
    }
    for (const auto& m : b.messages) {
      const Date message_day = DateOfMillis(m.created_at);
      if (!wanted(message_day, b.partner_id)) continue;
      domain::DayCounters& c = counters[{message_day.days, b.partner_id}];
      using domain::MessageStatus;
      c.messages_pending += m.status == MessageStatus::kPending;
      c.messages_sent += m.status == MessageStatus::kSent;
      c.messages_failed += m.status == MessageStatus::kFailed;
      c.messages_cancelled += m.status == MessageStatus::kCancelled;
      if (m.status == MessageStatus::kSent && m.sent_at && m.kind != "reminder") {
        const int64_t steps =
            std::max<int64_t>(0, (*m.sent_at - m.created_at) / domain::kSendTimeStepMillis);
        times[{message_day.days, b.partner_id, steps}] += 1;
      }
    }
  }
  StatsData out;
  for (const auto& [key, c] : counters) out.rows.push_back({Date{key.first}, key.second, c});
  for (const auto& [key, n] : times) {
    out.send_times.push_back({Date{std::get<0>(key)}, std::get<1>(key), std::get<2>(key), n});
  }
  return out;
}

Status MemoryStore::CreateAccessToken(const AccessToken& token) {
  std::lock_guard lock(mu_);
  if (!tokens_.emplace(token.token_hash, token).second) {
    return {ErrorCode::kAlreadyExists, "token exists"};
  }
  return Status::Ok();
}

Result<AccessToken> MemoryStore::FindAccessToken(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  auto it = tokens_.find(token_hash);
  if (it == tokens_.end()) return NotFound("unknown token");
  return it->second;
}

Result<Usage> MemoryStore::QueryUsage(int64_t from_millis, int64_t to_millis,
                                      const std::optional<std::string>& partner_id) {
  std::lock_guard lock(mu_);
  std::map<std::string, std::pair<int64_t, int64_t>> bookings;   // partner -> (all, cancelled)
  std::map<std::pair<std::string, std::string>, UsageRow> rows;  // (partner, snapshot)
  for (const auto& [id, b] : bookings_) {
    if (b.created_at < from_millis || b.created_at >= to_millis) continue;
    if (partner_id && b.partner_id != *partner_id) continue;
    auto& [all, cancelled] = bookings[b.partner_id];
    all += 1;
    cancelled += b.status == domain::BookingStatus::kCancelled;
    for (const auto& p : b.promo_codes) {
      if (p.status == domain::PromoStatus::kRevoked) continue;
      UsageRow& row = rows[{b.partner_id, p.package ? EncodePackage(*p.package) : ""}];
      row.partner_id = b.partner_id;
      row.package = p.package;
      row.assigned += 1;
      row.redeemed += p.status == domain::PromoStatus::kRedeemed;
    }
  }
  Usage out;
  for (const auto& [partner, n] : bookings) {
    out.bookings.emplace_back(partner, n.first);
    out.cancelled.emplace_back(partner, n.second);
  }
  for (auto& [key, row] : rows) out.packages.push_back(std::move(row));
  return out;
}

Result<int64_t> MemoryStore::EraseTraveller(const std::string& email) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return Erase(
      [&](const Booking& b) { return b.request.email && lower(*b.request.email) == lower(email); });
}

Result<int64_t> MemoryStore::EraseTripsEndedBefore(Date day) {
  const std::string before = FormatDate(day);
  return Erase([&](const Booking& b) {
    return b.request.return_date.value_or(b.request.departure_date) < before;
  });
}

Result<int64_t> MemoryStore::BookingsOnDay(const std::string& partner_id, Date day) {
  std::lock_guard lock(mu_);
  int64_t n = 0;
  for (const auto& [id, b] : bookings_) {
    n += b.partner_id == partner_id && DateOfMillis(b.created_at) == day;
  }
  return n;
}

Result<OutboxDepth> MemoryStore::QueueDepth(int64_t now) {
  std::lock_guard lock(mu_);
  OutboxDepth out;
  auto oldest = [](std::optional<int64_t>& o, int64_t due) { o = o ? std::min(*o, due) : due; };
  for (const auto& [id, b] : bookings_) {
    for (const auto& m : b.messages) {
      if (m.status != domain::MessageStatus::kPending || m.due_at > now) continue;
      out.messages += 1;
      oldest(out.oldest_message_due_at, m.due_at);
    }
  }
  for (const auto& w : webhooks_) {
    if (w.event.status != "PENDING" || w.due_at > now) continue;
    out.webhooks += 1;
    oldest(out.oldest_webhook_due_at, w.due_at);
  }
  return out;
}

}  // namespace tripsim::store
