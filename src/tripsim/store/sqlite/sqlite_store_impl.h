// SqliteStore, the Store behind OpenSqliteStore (sqlite_store.h), declared for the files that
// define it, one area of the Store each. Internal to store/sqlite: everything else reaches it
// through store::Store. The contracts are Store's (store.h).
//
//   sqlite_store.cc             opening, partners, the catalog, health
//   sqlite_store_bookings.cc    bookings: create, read, list, cancel, messages added, claims
//   sqlite_store_redemption.cc  the eSIM inventory and redemption
//   sqlite_store_outbox.cc      the email and webhook outboxes
//   sqlite_store_stats.cc       the dashboard's counters, access tokens, usage, erasure
//
// Writes go through one GroupCommitWriter (a job each, committed in batches); reads run on a
// small pool of connections, each in one read transaction (Read).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tripsim/store/sqlite/checkpointer.h"
#include "tripsim/store/sqlite/commit_watch.h"
#include "tripsim/store/sqlite/db.h"
#include "tripsim/store/sqlite/group_commit.h"
#include "tripsim/store/sqlite/new_row_counters.h"
#include "tripsim/store/store.h"

namespace tripsim::store::sqlite {

class SqliteStore final : public Store {
 public:
  // `writer` is the connection of the group commit; `commits` watches the file's WAL index
  // (null when there is none to watch).
  SqliteStore(std::string path, Db writer, size_t max_batch, std::unique_ptr<CommitWatch> commits)
      : path_(std::move(path)),
        checkpointer_(path_),
        writer_(Watched(std::move(writer)), max_batch, &counters_),
        commits_(std::move(commits)) {}

  // Partners and the catalog (sqlite_store.cc).
  Status CreatePartner(const domain::Partner& p) override;
  Status UpdatePartner(const domain::Partner& p) override;
  Result<domain::Partner> GetPartner(const std::string& id) override {
    return QueryPartner("id = ?", id);
  }
  Result<domain::Partner> FindPartnerByApiKey(const std::string& key) override {
    return QueryPartner("api_key = ?", key);
  }
  Result<std::vector<domain::Partner>> ListPartners() override;
  Status UpsertPackages(const std::vector<domain::Package>& packages, bool retire_missing) override;
  Result<int64_t> CatalogVersion() override;
  Result<std::vector<domain::Package>> ListPackages() override;

  // Bookings (sqlite_store_bookings.cc).
  Result<CreateResult> CreateBooking(const domain::Booking& b) override;
  void CreateBookingAsync(domain::Booking b,
                          std::function<void(Result<CreateResult>)> done) override;
  bool LocalReads() const override { return true; }
  Result<domain::Booking> GetBooking(const std::string& partner_id, const std::string& id) override;
  Result<CheckedBooking> GetBookingIfChanged(const std::string& partner_id, const std::string& id,
                                             std::optional<int64_t> known_revision) override;
  std::optional<uint64_t> CommitMark() const override {
    return commits_ ? commits_->Mark() : std::nullopt;
  }
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

  // The eSIM inventory and redemption (sqlite_store_redemption.cc).
  Status ImportInventory(const std::vector<domain::EsimProfile>& profiles, int64_t now) override;
  Result<std::vector<ProviderStock>> InventoryStatus() override;
  Result<Redemption> FindRedemption(const std::string& code) override;
  Result<Redemption> RedeemPromoCode(const std::string& code, int64_t now,
                                     const std::optional<domain::EsimProfile>& synthetic,
                                     const PromoRule& rule,
                                     const std::optional<domain::PromoCode>& assign) override;

  // The outboxes (sqlite_store_outbox.cc).
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

  // Counters, tokens, usage and erasure (sqlite_store_stats.cc).
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
  // Writes `b` unless the partner has a booking with its booking_id (or idempotency key), and
  // leaves the outcome in `out`: the existing booking, or created = true (the caller has `b`).
  // REQUIRES: `b` outlives the job.
  static GroupCommitWriter::Job CreateBookingJob(NewRowCounters& counters, const domain::Booking& b,
                                                 std::shared_ptr<CreateResult> out);

  // Runs `fn` on a pooled read connection, in one read transaction.
  template <typename T, typename Fn>
  Result<T> Read(Fn fn) {
    Db db;
    {
      std::lock_guard lock(pool_mu_);
      if (!pool_.empty()) {
        db = std::move(pool_.back());
        pool_.pop_back();
      }
    }
    if (db.raw() == nullptr) {
      TRIPSIM_ASSIGN_OR_RETURN(opened, Db::Open(path_, false));
      db = std::move(opened);
    }
    // One read transaction for all of fn's statements: they see one snapshot (a booking and
    // its codes and messages agree), and the file locks are taken once, not per statement.
    TRIPSIM_RETURN_IF_ERROR(db.Run("BEGIN"));
    Result<T> r = fn(db);
    (void)db.Run("COMMIT");
    std::lock_guard lock(pool_mu_);
    pool_.push_back(std::move(db));
    return r;
  }

  // Erases the personal fields of the bookings matching `where` (and not erased yet); `bind`
  // binds where's parameters.
  Result<int64_t> Erase(const std::string& where, const std::function<void(Stmt&)>& bind);

  // The partner matching `where` (one parameter, bound to `value`).
  Result<domain::Partner> QueryPartner(const char* where, const std::string& value);

  // The writer connection, its commits now waking the checkpointer instead of checkpointing.
  Db Watched(Db writer);

  const std::string path_;
  Checkpointer checkpointer_;  // outlives the writer, whose commits call it
  NewRowCounters counters_;    // outlives the writer; used by the writer thread only
  GroupCommitWriter writer_;
  const std::unique_ptr<CommitWatch> commits_;  // null when the file shares no WAL index
  std::mutex pool_mu_;
  std::vector<Db> pool_;  // guarded by pool_mu_
};

}  // namespace tripsim::store::sqlite
