// MemoryStore, the Store behind NewMemoryStore (memory_store.h): every table a container under
// one mutex. Declared for the two files that define it: memory_store.cc (partners, the
// catalog, bookings, redemption) and memory_store_outbox.cc (the outboxes, the counters,
// tokens, usage, erasure). Internal to store.
#pragma once

#include <array>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tripsim/store/store.h"

namespace tripsim::store {

class MemoryStore final : public Store {
 public:
  Status CreatePartner(const domain::Partner& p) override;
  Status UpdatePartner(const domain::Partner& p) override;
  Result<domain::Partner> GetPartner(const std::string& id) override;
  Result<domain::Partner> FindPartnerByApiKey(const std::string& key) override;
  Result<std::vector<domain::Partner>> ListPartners() override;
  Status UpsertPackages(const std::vector<domain::Package>& packages, bool retire_missing) override;
  Result<int64_t> CatalogVersion() override;
  Result<std::vector<domain::Package>> ListPackages() override;
  Result<CreateResult> CreateBooking(const domain::Booking& b) override;
  Result<domain::Booking> GetBooking(const std::string& partner_id, const std::string& id) override;
  Result<domain::Booking> FindBookingByReference(const std::string& partner_id,
                                                 const std::string& booking_id) override;
  Result<domain::Booking> FindBookingByIdempotencyKey(const std::string& partner_id,
                                                      const std::string& key) override;
  Result<BookingPage> ListBookings(const std::string& partner_id,
                                   const BookingFilter& filter) override;
  Result<domain::Booking> CancelBooking(const std::string& partner_id, const std::string& id,
                                        const CancelRule& rule) override;
  Status AddMessage(const std::string& booking_id, const domain::Message& message) override;
  Result<domain::Booking> FindBookingByPromoUuid(const std::string& uuid) override;
  Result<domain::Booking> ClaimPromoCode(
      const std::string& uuid, int64_t now, const domain::Message& message,
      const std::function<Status(const domain::Booking&, const domain::PromoCode&)>& rule) override;
  Status ImportInventory(const std::vector<domain::EsimProfile>& profiles, int64_t) override;
  Result<std::vector<ProviderStock>> InventoryStatus() override;
  Result<Redemption> FindRedemption(const std::string& code) override;
  Result<Redemption> RedeemPromoCode(const std::string& code, int64_t now,
                                     const std::optional<domain::EsimProfile>& synthetic,
                                     const PromoRule& rule,
                                     const std::optional<domain::PromoCode>& assign) override;
  Result<std::vector<OutboxItem>> ClaimDueMessages(int64_t now, int64_t lease_until,
                                                   int limit) override;
  Status MarkMessageSent(const std::string& message_id, int64_t sent_at) override;
  Status MarkMessageFailed(const std::string& message_id, const std::string& error,
                           std::optional<int64_t> retry_at) override;
  Result<std::vector<FailedMessage>> ListFailedMessages(
      const std::optional<std::string>& partner_id, int limit) override;
  Result<std::vector<WebhookEvent>> ClaimDueWebhooks(int64_t now, int64_t lease_until,
                                                     int limit) override;
  Status MarkWebhookDelivered(const std::string& event_id, int64_t) override;
  Status MarkWebhookFailed(const std::string& event_id, const std::string& error,
                           std::optional<int64_t> retry_at) override;
  Status RequeueWebhook(const std::string& event_id, int64_t now) override;
  Result<std::vector<WebhookEvent>> ListWebhookEvents(const std::string& partner_id,
                                                      int limit) override;
  Status ExpireIdempotencyKeys(int64_t before_millis) override;
  Status Ping() override { return Status::Ok(); }
  bool LocalReads() const override { return true; }
  Status RecordFailedAttempts(const std::vector<FailedAttempt>& attempts) override;

  // Computed from the rows themselves: the reference the SQL stores' counters must match.
  Result<StatsData> QueryStats(Date from, Date to,
                               const std::optional<std::string>& partner_id) override;
  Status CreateAccessToken(const AccessToken& token) override;
  Result<AccessToken> FindAccessToken(const std::string& token_hash) override;
  Result<Usage> QueryUsage(int64_t from_millis, int64_t to_millis,
                           const std::optional<std::string>& partner_id) override;
  Result<int64_t> EraseTraveller(const std::string& email) override;
  Result<int64_t> EraseTripsEndedBefore(Date day) override;
  Result<int64_t> BookingsOnDay(const std::string& partner_id, Date day) override;
  Result<OutboxDepth> QueueDepth(int64_t now) override;

 private:
  // REQUIRES: mu_ held.
  void Enqueue(const domain::Booking& b, const std::string& event, const std::string& subject,
               int64_t now);

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
  Result<domain::Booking> FindIf(const std::string& partner_id, Pred pred) {
    std::lock_guard lock(mu_);
    for (const auto& [id, b] : bookings_) {
      if (b.partner_id == partner_id && pred(b)) return b;
    }
    return NotFound("booking not found");
  }
  std::mutex mu_;
  std::map<std::string, domain::Partner> partners_;
  std::map<std::string, domain::Package> packages_;
  int64_t catalog_version_ = 1;
  std::map<std::string, domain::Booking> bookings_;
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

}  // namespace tripsim::store
