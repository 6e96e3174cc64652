// PostgresStore, the Store behind OpenPostgresStore (postgres_store.h), declared for the files
// that define it, one area of the Store each. Internal to store/postgres: everything else
// reaches it through store::Store. The contracts are Store's (store.h).
//
//   postgres_store.cc             opening, partners, the catalog, health
//   postgres_store_bookings.cc    bookings: create (alone and in batches), read, list, cancel,
//                                 messages added, claims
//   postgres_store_redemption.cc  the eSIM inventory and redemption
//   postgres_store_outbox.cc      the email and webhook outboxes
//   postgres_store_stats.cc       the dashboard's counters, access tokens, usage, erasure
//
// Each write is one transaction on a pooled connection (Tx), retried after a serialization
// failure; reads run outside a transaction (Read).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tripsim/base/metrics.h"
#include "tripsim/store/postgres/create_batcher.h"
#include "tripsim/store/postgres/pg.h"
#include "tripsim/store/postgres/postgres_store.h"
#include "tripsim/store/store.h"

namespace tripsim::store::pg {

// How often Tx runs a transaction that fails with a serialization failure or a deadlock.
constexpr int kTransactionAttempts = 5;

class PostgresStore final : public Store {
 public:
  // Opens no connection itself; the pool opens them on first use (or all at once in the
  // background with `fill_pool`).
  explicit PostgresStore(const PostgresOptions& o);

  // Partners and the catalog (postgres_store.cc).
  Status CreatePartner(const domain::Partner& p) override;
  Status UpdatePartner(const domain::Partner& p) override;
  Result<domain::Partner> GetPartner(const std::string& id) override {
    return QueryPartner("id", id);
  }
  Result<domain::Partner> FindPartnerByApiKey(const std::string& key) override {
    return QueryPartner("api_key", key);
  }
  Result<std::vector<domain::Partner>> ListPartners() override;
  Status UpsertPackages(const std::vector<domain::Package>& packages, bool retire_missing) override;
  Result<int64_t> CatalogVersion() override;
  Result<std::vector<domain::Package>> ListPackages() override;

  // Bookings (postgres_store_bookings.cc).
  Result<CreateResult> CreateBooking(const domain::Booking& b) override;
  void CreateBookingAsync(domain::Booking b,
                          std::function<void(Result<CreateResult>)> done) override;
  Result<domain::Booking> GetBooking(const std::string& partner_id, const std::string& id) override;
  Result<domain::Booking> FindBookingByReference(const std::string& partner_id,
                                                 const std::string& booking_id) override;
  Result<domain::Booking> FindBookingByIdempotencyKey(const std::string& partner_id,
                                                      const std::string& key) override;
  Result<BookingPage> ListBookings(const std::string& partner_id, const BookingFilter& f) override;
  Result<domain::Booking> CancelBooking(const std::string& partner_id, const std::string& id,
                                        const CancelRule& rule) override;
  Status AddMessage(const std::string& booking_id, const domain::Message& message) override;
  Result<domain::Booking> FindBookingByPromoUuid(const std::string& uuid) override;
  Result<domain::Booking> ClaimPromoCode(
      const std::string& uuid, int64_t now, const domain::Message& message,
      const std::function<Status(const domain::Booking&, const domain::PromoCode&)>& rule) override;
  Status ExpireIdempotencyKeys(int64_t before_millis) override;

  // The eSIM inventory and redemption (postgres_store_redemption.cc).
  Status ImportInventory(const std::vector<domain::EsimProfile>& profiles, int64_t now) override;
  Result<std::vector<ProviderStock>> InventoryStatus() override;
  Result<Redemption> FindRedemption(const std::string& code) override;
  Result<Redemption> RedeemPromoCode(const std::string& code, int64_t now,
                                     const std::optional<domain::EsimProfile>& synthetic,
                                     const PromoRule& rule,
                                     const std::optional<domain::PromoCode>& assign) override;

  // The outboxes (postgres_store_outbox.cc).
  Result<std::vector<OutboxItem>> ClaimDueMessages(int64_t now, int64_t lease_until,
                                                   int limit) override;
  Status MarkMessageSent(const std::string& message_id, int64_t sent_at) override;
  Status MarkMessageFailed(const std::string& message_id, const std::string& error,
                           std::optional<int64_t> retry_at) override;
  Result<std::vector<WebhookEvent>> ClaimDueWebhooks(int64_t now, int64_t lease_until,
                                                     int limit) override;
  Status MarkWebhookDelivered(const std::string& event_id, int64_t) override;
  Status MarkWebhookFailed(const std::string& event_id, const std::string& error,
                           std::optional<int64_t> retry_at) override;
  Status RequeueWebhook(const std::string& event_id, int64_t now) override;
  Result<std::vector<FailedMessage>> ListFailedMessages(
      const std::optional<std::string>& partner_id, int limit) override;
  Result<std::vector<WebhookEvent>> ListWebhookEvents(const std::string& partner_id,
                                                      int limit) override;
  Result<OutboxDepth> QueueDepth(int64_t now) override;

  // Counters, tokens, usage and erasure (postgres_store_stats.cc).
  Status RecordFailedAttempts(const std::vector<FailedAttempt>& attempts) override;
  Result<StatsData> QueryStats(Date from, Date to,
                               const std::optional<std::string>& partner_id) override;
  Result<int64_t> BookingsOnDay(const std::string& partner_id, Date day) override;
  Status CreateAccessToken(const AccessToken& t) override;
  Result<AccessToken> FindAccessToken(const std::string& token_hash) override;
  Result<Usage> QueryUsage(int64_t from_millis, int64_t to_millis,
                           const std::optional<std::string>& partner_id) override;
  Result<int64_t> EraseTraveller(const std::string& email) override;
  Result<int64_t> EraseTripsEndedBefore(Date day) override;

  Status Ping() override;

 private:
  // Writes a batch of new bookings (CreateBatcher's lanes) in one transaction: the bookings in
  // one round trip, then the children and webhooks of those inserted in a second, then one
  // commit. A booking that would fail the batch (a constraint, a bad value) must not fail its
  // neighbours: when the batch fails, each booking is written again alone (unless the database
  // is out of reach, which fails them all at once).
  void WriteBatch(std::vector<CreateJob>& jobs);

  // The booking already stored under `b`'s booking_id or key, which kept `b` from being
  // inserted.
  Result<CreateResult> Twin(const domain::Booking& b);

  // Runs `fn` in a transaction, retrying it after a serialization failure or deadlock, and
  // once on a fresh connection when the pooled one turns out to be dead (a database restart).
  template <typename Fn>
  Status Tx(Fn fn) {
    Status s;
    for (int attempt = 0; attempt < kTransactionAttempts; ++attempt) {
      TRIPSIM_ASSIGN_OR_RETURN(c, pool_.Acquire());
      s = c->Script("BEGIN");
      if (!s.ok()) {
        if (c->broken() && attempt == 0) continue;  // a stale pooled connection
        return s;
      }
      s = fn(*c);
      if (s.ok()) s = c->Script("COMMIT");
      if (!s.ok()) (void)c->Script("ROLLBACK");
      if (s.ok() || !c->retryable()) return s;
    }
    return s;
  }

  // Runs `fn` outside a transaction (each statement sees committed data).
  template <typename T, typename Fn>
  Result<T> Read(Fn fn) {
    for (int attempt = 0;; ++attempt) {
      TRIPSIM_ASSIGN_OR_RETURN(c, pool_.Acquire());
      Result<T> r = fn(*c);
      if (r.ok() || !c->broken() || attempt > 0) return r;
    }
  }

  // Erases the personal fields of the bookings matching `where` ($1 = value), not erased yet.
  Result<int64_t> Erase(const std::string& where, const Param& value);

  // The partner whose `column` is `value`.
  Result<domain::Partner> QueryPartner(const char* column, const std::string& value);

  HistogramSeries* const commit_seconds_ = Metrics::Global().Histogram(
      "tripsim_store_commit_duration_seconds", {{"store", "postgres"}});  // the batches'
  CounterSeries* const committed_ = Metrics::Global().Counter(
      "tripsim_store_committed_writes_total", {{"store", "postgres"}});  // bookings in them
  Pool pool_;
  CreateBatcher batcher_;  // after the pool, which its lanes use until they stop
  std::jthread filler_;    // opens the pool's connections at start; stopped first
};

}  // namespace tripsim::store::pg
