#include "tripsim/store/memory_store.h"

#include <algorithm>
#include <deque>
#include <tuple>

#include "tripsim/base/clock.h"
#include "tripsim/base/ids.h"
#include "tripsim/store/paging.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store {
namespace {

using domain::Booking;
using domain::Partner;

class MemoryStore final : public Store {
 public:
  Status CreatePartner(const Partner& p) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, q] : partners_) {
      if (id == p.id || q.api_key == p.api_key) {
        return {ErrorCode::kAlreadyExists, "partner id or api key already exists"};
      }
    }
    partners_[p.id] = p;
    return Status::Ok();
  }

  Status UpdatePartner(const Partner& p) override {
    std::lock_guard lock(mu_);
    auto it = partners_.find(p.id);
    if (it == partners_.end()) return NotFound("unknown partner " + p.id);
    it->second = p;
    return Status::Ok();
  }

  Result<Partner> GetPartner(const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = partners_.find(id);
    if (it == partners_.end()) return NotFound("unknown partner " + id);
    return it->second;
  }

  Result<Partner> FindPartnerByApiKey(const std::string& key) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, p] : partners_) {
      if (p.api_key == key) return p;
    }
    return NotFound("unknown api key");
  }

  Result<std::vector<Partner>> ListPartners() override {
    std::lock_guard lock(mu_);
    std::vector<Partner> out;
    for (const auto& [id, p] : partners_) out.push_back(p);
    return out;
  }

  Status UpsertPackages(const std::vector<domain::Package>& packages,
                        bool retire_missing) override {
    std::lock_guard lock(mu_);
    if (retire_missing) {
      for (auto& [id, p] : packages_) p.retired = true;
    }
    for (const auto& p : packages) packages_[p.id] = p;
    ++catalog_version_;
    return Status::Ok();
  }

  Result<int64_t> CatalogVersion() override {
    std::lock_guard lock(mu_);
    return catalog_version_;
  }

  Result<std::vector<domain::Package>> ListPackages() override {
    std::lock_guard lock(mu_);
    std::vector<domain::Package> out;
    for (const auto& [id, p] : packages_) out.push_back(p);
    return out;
  }

  Result<CreateResult> CreateBooking(const Booking& b) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, existing] : bookings_) {
      if (existing.partner_id != b.partner_id) continue;
      bool same_ref = b.request.booking_id && existing.request.booking_id == b.request.booking_id;
      bool same_key = !b.idempotency_key.empty() && existing.idempotency_key == b.idempotency_key;
      if (same_ref || same_key) return CreateResult{existing, false};
    }
    for (const auto& [id, existing] : bookings_) {
      for (const auto& taken : existing.promo_codes) {
        for (const auto& code : b.promo_codes) {
          if (code.code == taken.code) return Status(ErrorCode::kAlreadyExists, "promo code taken");
        }
      }
    }
    bookings_[b.id] = b;
    order_.push_back(b.id);
    Enqueue(b, "booking.created", "", b.created_at);
    return CreateResult{b, true};
  }

  Result<Booking> GetBooking(const std::string& partner_id, const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = bookings_.find(id);
    if (it == bookings_.end() || it->second.partner_id != partner_id) {
      return NotFound("booking not found");
    }
    return it->second;
  }

  Result<Booking> FindBookingByReference(const std::string& partner_id,
                                         const std::string& booking_id) override {
    return FindIf(partner_id, [&](const Booking& b) { return b.request.booking_id == booking_id; });
  }

  Result<Booking> FindBookingByIdempotencyKey(const std::string& partner_id,
                                              const std::string& key) override {
    return FindIf(partner_id, [&](const Booking& b) { return b.idempotency_key == key; });
  }

  Result<BookingPage> ListBookings(const std::string& partner_id,
                                   const BookingFilter& filter) override {
    std::lock_guard lock(mu_);
    std::vector<const Booking*> matching;
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      const Booking& b = bookings_.at(*it);
      if (b.partner_id == partner_id && Matches(filter, b)) matching.push_back(&b);
    }
    std::stable_sort(matching.begin(), matching.end(), [](const Booking* a, const Booking* b) {
      return a->created_at > b->created_at;
    });
    BookingPage page;
    page.total = static_cast<int64_t>(matching.size());
    size_t offset = Offset(filter);
    for (size_t i = offset;
         i < matching.size() && i < offset + static_cast<size_t>(filter.per_page); ++i) {
      page.bookings.push_back(*matching[i]);
    }
    return page;
  }

  Result<Booking> CancelBooking(const std::string& partner_id, const std::string& id,
                                const CancelRule& rule) override {
    std::lock_guard lock(mu_);
    auto it = bookings_.find(id);
    if (it == bookings_.end() || it->second.partner_id != partner_id) {
      return NotFound("booking not found");
    }
    TRIPSIM_RETURN_IF_ERROR(rule(it->second));
    if (it->second.status != domain::BookingStatus::kCancelled) {
      Enqueue(it->second, "booking.cancelled", "", SystemClock().NowMillis());
    }
    ApplyCancel(it->second);
    return it->second;
  }

  Status AddMessage(const std::string& booking_id, const domain::Message& message) override {
    std::lock_guard lock(mu_);
    auto it = bookings_.find(booking_id);
    if (it == bookings_.end()) return NotFound("booking not found");
    it->second.messages.push_back(message);
    return Status::Ok();
  }

  Result<Booking> FindBookingByPromoUuid(const std::string& uuid) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, b] : bookings_) {
      for (const auto& p : b.promo_codes) {
        if (p.uuid == uuid) return b;
      }
    }
    return NotFound("promo code not found");
  }

  Result<Booking> ClaimPromoCode(
      const std::string& uuid, int64_t now, const domain::Message& message,
      const std::function<Status(const Booking&, const domain::PromoCode&)>& rule) override {
    std::lock_guard lock(mu_);
    for (auto& [id, b] : bookings_) {
      for (auto& p : b.promo_codes) {
        if (p.uuid != uuid) continue;
        TRIPSIM_RETURN_IF_ERROR(rule(b, p));
        p.status = domain::PromoStatus::kClaimed;
        p.claimed_at = now;
        b.messages.push_back(message);
        return b;
      }
    }
    return NotFound("promo code not found");
  }

  Status ImportInventory(const std::vector<domain::EsimProfile>& profiles, int64_t) override {
    std::lock_guard lock(mu_);
    for (const auto& p : profiles) {
      for (const auto& have : inventory_) {
        if (have.profile.iccid == p.iccid) {
          return {ErrorCode::kAlreadyExists, "ICCID " + p.iccid + " is already in the inventory"};
        }
      }
    }
    for (const auto& p : profiles) inventory_.push_back({p, ""});
    return Status::Ok();
  }

  Result<std::vector<ProviderStock>> InventoryStatus() override {
    std::lock_guard lock(mu_);
    std::map<std::string, ProviderStock> by;
    for (const auto& s : inventory_) {
      ProviderStock& p = by[s.profile.provider];
      p.provider = s.profile.provider;
      (s.promo_code.empty() ? p.available : p.assigned)++;
    }
    std::vector<ProviderStock> out;
    for (auto& [k, v] : by) out.push_back(v);
    return out;
  }

  Result<Redemption> FindRedemption(const std::string& code) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, b] : bookings_) {
      for (const auto& p : b.promo_codes) {
        if (p.code != code) continue;
        for (const auto& s : inventory_) {
          if (s.promo_code == code) return Redemption{b, s.profile, false};
        }
        return Redemption{b, {}, false};
      }
    }
    return NotFound("promo code not found");
  }

  Result<Redemption> RedeemPromoCode(const std::string& code, int64_t now,
                                     const std::optional<domain::EsimProfile>& synthetic,
                                     const PromoRule& rule,
                                     const std::optional<domain::PromoCode>& assign) override {
    std::lock_guard lock(mu_);
    for (auto& [id, b] : bookings_) {
      for (auto& p : b.promo_codes) {
        if (p.code != code) continue;
        for (const auto& s : inventory_) {
          if (s.promo_code == code) return Redemption{b, s.profile, false};
        }
        if (assign && !p.package) {
          p.package = assign->package;
          p.destination = assign->destination;
          p.assignment = assign->assignment;
        }
        TRIPSIM_RETURN_IF_ERROR(rule(b, p));
        const std::string provider = p.package ? p.package->provider : "";
        Stock* free = nullptr;
        for (auto& s : inventory_) {
          if (s.promo_code.empty() && s.profile.provider == provider) {
            free = &s;
            break;
          }
        }
        if (free == nullptr) {
          if (!synthetic)
            return Status(ErrorCode::kResourceExhausted, "no eSIM in stock for " + provider);
          inventory_.push_back({*synthetic, ""});
          free = &inventory_.back();
        }
        free->promo_code = code;
        p.status = domain::PromoStatus::kRedeemed;
        p.redeemed_at = now;
        bool all = std::all_of(b.promo_codes.begin(), b.promo_codes.end(), [](const auto& c) {
          return c.status == domain::PromoStatus::kRedeemed ||
                 c.status == domain::PromoStatus::kRevoked;
        });
        if (all) b.status = domain::BookingStatus::kCompleted;
        Enqueue(b, "promo_code.redeemed", code, now);
        return Redemption{b, free->profile, true};
      }
    }
    return NotFound("promo code not found");
  }

  Result<std::vector<OutboxItem>> ClaimDueMessages(int64_t now, int64_t lease_until,
                                                   int limit) override {
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

  Status MarkMessageSent(const std::string& message_id, int64_t sent_at) override {
    return UpdateMessage(message_id, [&](Booking& b, domain::Message& m) {
      m.status = domain::MessageStatus::kSent;
      m.sent_at = sent_at;
      Enqueue(b, "message.sent", m.id, sent_at);
    });
  }

  Status MarkMessageFailed(const std::string& message_id, const std::string& error,
                           std::optional<int64_t> retry_at) override {
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

  Result<std::vector<FailedMessage>> ListFailedMessages(
      const std::optional<std::string>& partner_id, int limit) override {
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

  Result<std::vector<WebhookEvent>> ClaimDueWebhooks(int64_t now, int64_t lease_until,
                                                     int limit) override {
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

  Status MarkWebhookDelivered(const std::string& event_id, int64_t) override {
    return UpdateWebhook(event_id, [](QueuedWebhook& w) { w.event.status = "DELIVERED"; });
  }

  Status MarkWebhookFailed(const std::string& event_id, const std::string& error,
                           std::optional<int64_t> retry_at) override {
    return UpdateWebhook(event_id, [&](QueuedWebhook& w) {
      w.event.last_error = error;
      if (retry_at) {
        w.due_at = *retry_at;
      } else {
        w.event.status = "DEAD";
      }
    });
  }

  Status RequeueWebhook(const std::string& event_id, int64_t now) override {
    return UpdateWebhook(event_id, [&](QueuedWebhook& w) {
      w.event.status = "PENDING";
      w.due_at = now;
    });
  }

  Result<std::vector<WebhookEvent>> ListWebhookEvents(const std::string& partner_id,
                                                      int limit) override {
    std::lock_guard lock(mu_);
    std::vector<WebhookEvent> out;
    for (auto it = webhooks_.rbegin();
         it != webhooks_.rend() && static_cast<int>(out.size()) < limit; ++it) {
      if (it->event.partner_id == partner_id) out.push_back(it->event);
    }
    return out;
  }

  Status ExpireIdempotencyKeys(int64_t before_millis) override {
    std::lock_guard lock(mu_);
    for (auto& [id, b] : bookings_) {
      if (b.created_at < before_millis) b.idempotency_key.clear();
    }
    return Status::Ok();
  }

  Status Ping() override { return Status::Ok(); }
  bool LocalReads() const override { return true; }

  Status RecordFailedAttempts(const std::vector<FailedAttempt>& attempts) override {
    std::lock_guard lock(mu_);
    for (const FailedAttempt& a : attempts) {
      failures_[{DateOfMillis(a.at).days, a.partner_id}][domain::Index(a.reason)] += a.count;
    }
    return Status::Ok();
  }

  // Computed from the rows themselves: the reference the SQL stores' counters must match.
  Result<StatsData> QueryStats(Date from, Date to,
                               const std::optional<std::string>& partner_id) override {
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

  Status CreateAccessToken(const AccessToken& token) override {
    std::lock_guard lock(mu_);
    if (!tokens_.emplace(token.token_hash, token).second) {
      return {ErrorCode::kAlreadyExists, "token exists"};
    }
    return Status::Ok();
  }

  Result<AccessToken> FindAccessToken(const std::string& token_hash) override {
    std::lock_guard lock(mu_);
    auto it = tokens_.find(token_hash);
    if (it == tokens_.end()) return NotFound("unknown token");
    return it->second;
  }

  Result<Usage> QueryUsage(int64_t from_millis, int64_t to_millis,
                           const std::optional<std::string>& partner_id) override {
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

  Result<int64_t> EraseTraveller(const std::string& email) override {
    auto lower = [](std::string s) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    return Erase([&](const Booking& b) {
      return b.request.email && lower(*b.request.email) == lower(email);
    });
  }

  Result<int64_t> EraseTripsEndedBefore(Date day) override {
    const std::string before = FormatDate(day);
    return Erase([&](const Booking& b) {
      return b.request.return_date.value_or(b.request.departure_date) < before;
    });
  }

  Result<int64_t> BookingsOnDay(const std::string& partner_id, Date day) override {
    std::lock_guard lock(mu_);
    int64_t n = 0;
    for (const auto& [id, b] : bookings_) {
      n += b.partner_id == partner_id && DateOfMillis(b.created_at) == day;
    }
    return n;
  }

  Result<OutboxDepth> QueueDepth(int64_t now) override {
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

 private:
  // REQUIRES: mu_ held.
  void Enqueue(const Booking& b, const std::string& event, const std::string& subject,
               int64_t now) {
    auto p = partners_.find(b.partner_id);
    if (p == partners_.end() || p->second.webhook_url.empty()) return;
    webhooks_.push_back(
        {{NewOrderedId("evt_"), b.partner_id, event, b.id, subject, now, "PENDING", 0, ""},
         now,
         0});
  }

  template <typename Fn>
  Status UpdateMessage(const std::string& id, Fn fn) {
    std::lock_guard lock(mu_);
    for (auto& [bid, b] : bookings_) {
      for (auto& m : b.messages) {
        if (m.id == id) {
          fn(b, m);
          leases_.erase(id);
          return Status::Ok();
        }
      }
    }
    return NotFound("message not found");
  }

  template <typename Pred>
  Result<int64_t> Erase(Pred pred) {
    std::lock_guard lock(mu_);
    int64_t erased = 0;
    for (auto& [id, b] : bookings_) {
      domain::BookingRequest& r = b.request;
      const bool personal = r.email || r.first_name || r.last_name || r.full_name || r.phone;
      if (!personal || !pred(b)) continue;
      r.email = r.first_name = r.last_name = r.full_name = r.title = r.phone = r.gender =
          r.flight_number = std::nullopt;
      for (auto& m : b.messages) {
        m.recipient.clear();
        if (m.status == domain::MessageStatus::kPending)
          m.status = domain::MessageStatus::kCancelled;
      }
      erased += 1;
    }
    return erased;
  }

  template <typename Fn>
  Status UpdateWebhook(const std::string& id, Fn fn) {
    std::lock_guard lock(mu_);
    for (auto& w : webhooks_) {
      if (w.event.id == id) {
        fn(w);
        w.lease_until = 0;
        return Status::Ok();
      }
    }
    return NotFound("webhook event not found");
  }

  template <typename Pred>
  Result<Booking> FindIf(const std::string& partner_id, Pred pred) {
    std::lock_guard lock(mu_);
    for (const auto& [id, b] : bookings_) {
      if (b.partner_id == partner_id && pred(b)) return b;
    }
    return NotFound("booking not found");
  }

  std::mutex mu_;
  std::map<std::string, Partner> partners_;
  std::map<std::string, domain::Package> packages_;
  int64_t catalog_version_ = 1;
  std::map<std::string, Booking> bookings_;
  std::vector<std::string> order_;         // insertion order
  std::map<std::string, int64_t> leases_;  // message id -> lease end
  struct QueuedWebhook {
    WebhookEvent event;
    int64_t due_at = 0;
    int64_t lease_until = 0;
  };
  std::vector<QueuedWebhook> webhooks_;  // oldest first
  struct Stock {
    domain::EsimProfile profile;
    std::string promo_code;  // empty while free
  };
  std::deque<Stock> inventory_;  // oldest first
  // (UTC day, partner id) -> failed attempts by reason
  std::map<std::pair<int32_t, std::string>, std::array<int64_t, domain::kFailureReasonCount>>
      failures_;
  std::map<std::string, AccessToken> tokens_;  // by hash
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace tripsim::store
