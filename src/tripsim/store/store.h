// store::Store: the one seam between tripsim and its database (design.md section 7).
//
// Implementations: MemoryStore (tests), SqliteStore (the embedded default, group commit) and,
// later, PostgresStore. All of them pass the conformance suite in store_conformance_test.cc.
// Every method is thread-safe. A write method returns only after its data is durable (for the
// SQLite store: committed and fsynced); a failed write leaves nothing behind.
//
//   std::unique_ptr<Store> store = OpenSqliteStore({.path = "var/tripsim.db"}).value();
//   Result<CreateResult> r = store->CreateBooking(booking);
//   if (r.ok() && !r->created) ...  // an earlier booking had the same booking_id
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tripsim/base/date.h"
#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"
#include "tripsim/domain/esim.h"
#include "tripsim/domain/package.h"
#include "tripsim/domain/partner.h"
#include "tripsim/domain/stats.h"

namespace tripsim::store {

struct BookingFilter {
  std::optional<domain::BookingStatus> status;
  std::optional<Date> created_from;  // inclusive, UTC dates of creation
  std::optional<Date> created_to;    // inclusive
  int page = 1;                      // from 1
  int per_page = 20;
};

struct BookingPage {
  std::vector<domain::Booking> bookings;  // newest first
  int64_t total = 0;                      // matching bookings on every page
};

struct CreateResult {
  domain::Booking booking;  // the stored booking: the new one, or the one that already existed
  bool created = false;     // false when (partner, booking_id) or (partner, key) existed
};

// A message claimed for delivery, with the booking it belongs to.
struct OutboxItem {
  domain::Message message;
  domain::Booking booking;
};

struct ProviderStock {
  std::string provider;
  int64_t available = 0;
  int64_t assigned = 0;
};

struct Redemption {
  domain::Booking booking;  // after the redemption
  domain::EsimProfile profile;
  bool first_time = false;  // false when the code had been redeemed before
};

using PromoRule = std::function<Status(const domain::Booking&, const domain::PromoCode&)>;

// A webhook event in the partner's outbox (design.md 5). Written by the store in the same
// transaction as the change it reports, for partners with a webhook URL.
struct WebhookEvent {
  std::string id;  // "evt_...": the event_id, the same on every attempt
  std::string partner_id;
  std::string event;  // booking.created, message.sent, message.failed,
                      // promo_code.redeemed, booking.cancelled
  std::string booking_id;
  std::string subject_id;  // the message id or promo code concerned; empty otherwise
  int64_t created_at = 0;
  std::string status;  // PENDING, DELIVERED, DEAD
  int attempts = 0;
  std::string last_error;
};

// An email that failed for good, with the booking it was for: what an operator looks at when
// the dashboard counts failures.
struct FailedMessage {
  std::string message_id;
  std::string booking_id;  // "bk_..."
  std::string partner_id;
  std::string recipient;  // empty once the traveller's data is erased
  int attempts = 0;
  int64_t created_at = 0;
  std::string last_error;
};

// A booking request that created nothing, for the dashboard's counts. partner_id is empty when
// the request named no known partner.
struct FailedAttempt {
  std::string partner_id;
  int64_t at = 0;  // Unix millis
  domain::FailureReason reason = domain::FailureReason::kValidation;
  int64_t count = 1;
};

// The counters of one UTC day and partner ("" for attempts that named no partner).
struct StatsRow {
  Date day;
  std::string partner_id;
  domain::DayCounters counters;
};

// How many messages created that day, of that partner, took `steps` * kSendTimeStepMillis
// (rounded down) from creation to delivery. Scheduled reminders are not counted.
struct SendTimeBucket {
  Date day;
  std::string partner_id;
  int64_t steps = 0;
  int64_t count = 0;
};

struct StatsData {
  std::vector<StatsRow> rows;  // only (day, partner) pairs with something counted
  std::vector<SendTimeBucket> send_times;
};

// A bearer token for the dashboard, stored as its SHA-256. An empty partner_id is an
// operator (admin) token; otherwise the token sees only that partner.
struct AccessToken {
  std::string token_hash;
  std::string partner_id;
  int64_t created_at = 0;
};

// Billing usage of one partner in a period: its bookings, and per package snapshot the promo
// codes assigned (revoked ones left out) and how many of them were redeemed.
struct UsageRow {
  std::string partner_id;
  std::optional<domain::Package> package;  // empty: codes without a package
  int64_t assigned = 0;
  int64_t redeemed = 0;
};
struct Usage {
  std::vector<std::pair<std::string, int64_t>> bookings;   // (partner id, bookings created)
  std::vector<std::pair<std::string, int64_t>> cancelled;  // (partner id, of them cancelled)
  std::vector<UsageRow> packages;
};

// The work waiting in the outboxes: PENDING items due now, and the oldest due time among them.
struct OutboxDepth {
  int64_t messages = 0;
  std::optional<int64_t> oldest_message_due_at;
  int64_t webhooks = 0;
  std::optional<int64_t> oldest_webhook_due_at;
};

// A booking read unless it is still at a revision the caller knows (Store::GetBookingIfChanged).
struct CheckedBooking {
  // Moves on every change of the booking, its promo codes or its messages; empty when the
  // store keeps no revisions.
  std::optional<int64_t> revision;
  // Empty when `revision` is the one the caller knows: its copy is current.
  std::optional<domain::Booking> booking;
};

// Decides, inside the write transaction, whether a booking may be cancelled. Returns Ok to
// cancel, or the Status to answer with.
using CancelRule = std::function<Status(const domain::Booking&)>;

class Store {
 public:
  virtual ~Store() = default;

  // Partners. CreatePartner fails with kAlreadyExists when the id or api_key is taken;
  // UpdatePartner with kNotFound for an unknown id.
  virtual Status CreatePartner(const domain::Partner& partner) = 0;
  virtual Status UpdatePartner(const domain::Partner& partner) = 0;
  virtual Result<domain::Partner> GetPartner(const std::string& id) = 0;
  // kNotFound when no partner has this key.
  virtual Result<domain::Partner> FindPartnerByApiKey(const std::string& api_key) = 0;
  virtual Result<std::vector<domain::Partner>> ListPartners() = 0;

  // Catalog. Upserts by id, atomically. With retire_missing, packages absent from `packages`
  // are marked retired (never deleted: bookings keep their snapshots).
  virtual Status UpsertPackages(const std::vector<domain::Package>& packages,
                                bool retire_missing) = 0;
  virtual Result<std::vector<domain::Package>> ListPackages() = 0;
  // A number that UpsertPackages changes in its own transaction: a server holding the catalog
  // of one version need not list it again until the version moves.
  virtual Result<int64_t> CatalogVersion() = 0;

  // Bookings. Writes the booking with its promo codes and messages in one transaction. When the
  // partner already has a booking with the same booking_id (or idempotency_key), writes nothing
  // and returns that booking with created = false; concurrent duplicates resolve to one booking.
  virtual Result<CreateResult> CreateBooking(const domain::Booking& booking) = 0;
  // The same, without waiting: `done` is called once, when the booking is durable (or failed),
  // possibly on another thread (SQLite: its writer, which `done` must not hold up). The default
  // calls CreateBooking and then `done`, on the caller's thread.
  // NOLINTBEGIN(performance-unnecessary-value-param): the overrides take ownership of both.
  virtual void CreateBookingAsync(domain::Booking booking,
                                  std::function<void(Result<CreateResult>)> done) {
    done(CreateBooking(booking));
  }
  // NOLINTEND(performance-unnecessary-value-param)
  // kNotFound for an unknown id and for another partner's booking.
  virtual Result<domain::Booking> GetBooking(const std::string& partner_id,
                                             const std::string& id) = 0;
  // GetBooking, unless the booking is still at `known_revision`: then only its revision is
  // read. A store that keeps no revisions (the default) always answers the booking, with no
  // revision.
  virtual Result<CheckedBooking> GetBookingIfChanged(const std::string& partner_id,
                                                     const std::string& id,
                                                     std::optional<int64_t> known_revision) {
    (void)known_revision;
    TRIPSIM_ASSIGN_OR_RETURN(b, GetBooking(partner_id, id));
    return CheckedBooking{std::nullopt, std::move(b)};
  }
  // A mark of the store's last commit, by any writer (a command run beside the server too):
  // while the mark stays the same, nothing was committed, so what was read after it was taken
  // is still current. Empty when the store cannot tell (the default), or not at this moment.
  virtual std::optional<uint64_t> CommitMark() const { return std::nullopt; }
  // The booking with this (partner, booking_id), or with this (partner, idempotency_key).
  virtual Result<domain::Booking> FindBookingByReference(const std::string& partner_id,
                                                         const std::string& booking_id) = 0;
  virtual Result<domain::Booking> FindBookingByIdempotencyKey(const std::string& partner_id,
                                                              const std::string& key) = 0;
  virtual Result<BookingPage> ListBookings(const std::string& partner_id,
                                           const BookingFilter& filter) = 0;
  // Cancels atomically: loads the booking, asks `rule`, and when it allows, sets the booking
  // CANCELLED, its live promo codes REVOKED and its pending messages CANCELLED. Returns the
  // booking after the change (or unchanged, when `rule` refused with a failure Status).
  virtual Result<domain::Booking> CancelBooking(const std::string& partner_id,
                                                const std::string& id, const CancelRule& rule) = 0;
  // Adds a message to an existing booking (a resend, a claim, a reminder).
  virtual Status AddMessage(const std::string& booking_id, const domain::Message& message) = 0;

  // The booking holding the promo code with this claim uuid (any partner).
  virtual Result<domain::Booking> FindBookingByPromoUuid(const std::string& uuid) = 0;
  // Claims the code with `uuid` for `message.recipient` atomically: asks `rule` (which sees
  // the booking and the code), then marks the code CLAIMED at `now` and adds `message`.
  // Returns the booking after the change.
  virtual Result<domain::Booking> ClaimPromoCode(
      const std::string& uuid, int64_t now, const domain::Message& message,
      const std::function<Status(const domain::Booking&, const domain::PromoCode&)>& rule) = 0;

  // eSIM inventory. Imports atomically: fails with kAlreadyExists naming the ICCID when one of
  // the profiles is already in stock, and then imports none.
  virtual Status ImportInventory(const std::vector<domain::EsimProfile>& profiles, int64_t now) = 0;
  virtual Result<std::vector<ProviderStock>> InventoryStatus() = 0;
  // The booking holding promo code `code` (canonical form), and the profile handed out for it
  // (an empty iccid when it was not redeemed). kNotFound for an unknown code.
  virtual Result<Redemption> FindRedemption(const std::string& code) = 0;
  // Redeems the promo code `code` (canonical form) atomically. A code already REDEEMED returns
  // the profile it got. Otherwise `rule` decides (it must refuse a code without a package);
  // then the oldest free profile of the package's provider is handed out (once, ever), or
  // `synthetic` is stored and handed out when that stock is empty (nullopt:
  // kResourceExhausted). The code becomes REDEEMED and the booking COMPLETED when every live
  // code of it is redeemed. kNotFound for an unknown code.
  // `assign`, when given, is stored as the code's package, destination and assignment first,
  // if the code has no package yet (a destinationless code, chosen at redemption).
  virtual Result<Redemption> RedeemPromoCode(const std::string& code, int64_t now,
                                             const std::optional<domain::EsimProfile>& synthetic,
                                             const PromoRule& rule,
                                             const std::optional<domain::PromoCode>& assign) = 0;

  // Outbox. Claims up to `limit` PENDING messages due at `now` whose lease (if any) has
  // expired: each gets the lease `lease_until` and one more attempt. While the lease holds no
  // other claimer (thread, process or instance) gets the message.
  virtual Result<std::vector<OutboxItem>> ClaimDueMessages(int64_t now, int64_t lease_until,
                                                           int limit) = 0;
  // The claimed message was delivered.
  virtual Status MarkMessageSent(const std::string& message_id, int64_t sent_at) = 0;
  // The claimed message failed: PENDING again, due at `retry_at`; FAILED when retry_at is
  // nullopt. The error is kept as last_error.
  virtual Status MarkMessageFailed(const std::string& message_id, const std::string& error,
                                   std::optional<int64_t> retry_at) = 0;
  // The FAILED messages, newest first, of one partner or of all, at most `limit`.
  virtual Result<std::vector<FailedMessage>> ListFailedMessages(
      const std::optional<std::string>& partner_id, int limit) = 0;

  // Webhooks: claimed like messages (lease, one attempt more); delivered; or failed, to be
  // retried at `retry_at`, or DEAD (dead-lettered) when retry_at is nullopt.
  virtual Result<std::vector<WebhookEvent>> ClaimDueWebhooks(int64_t now, int64_t lease_until,
                                                             int limit) = 0;
  virtual Status MarkWebhookDelivered(const std::string& event_id, int64_t now) = 0;
  virtual Status MarkWebhookFailed(const std::string& event_id, const std::string& error,
                                   std::optional<int64_t> retry_at) = 0;
  // Puts a delivered or dead event back in the queue, due now (redelivery by the operator).
  // kNotFound for an unknown id.
  virtual Status RequeueWebhook(const std::string& event_id, int64_t now) = 0;
  // The partner's events, newest first (dead letters included), at most `limit`.
  virtual Result<std::vector<WebhookEvent>> ListWebhookEvents(const std::string& partner_id,
                                                              int limit) = 0;

  // Forgets idempotency keys of bookings created before `before_millis` (kept 24 h).
  virtual Status ExpireIdempotencyKeys(int64_t before_millis) = 0;

  // Monitoring. The counters of accepted bookings, messages and promo codes are kept by the
  // store itself, in the transaction of each change; failed attempts are recorded here.
  virtual Status RecordFailedAttempts(const std::vector<FailedAttempt>& attempts) = 0;
  // Counters and send times of the days from..to (inclusive), of one partner or of all.
  virtual Result<StatsData> QueryStats(Date from, Date to,
                                       const std::optional<std::string>& partner_id) = 0;
  virtual Status CreateAccessToken(const AccessToken& token) = 0;
  // kNotFound for an unknown hash.
  virtual Result<AccessToken> FindAccessToken(const std::string& token_hash) = 0;
  // Bookings created in [from_millis, to_millis), of one partner or of all.
  virtual Result<Usage> QueryUsage(int64_t from_millis, int64_t to_millis,
                                   const std::optional<std::string>& partner_id) = 0;

  virtual Result<OutboxDepth> QueueDepth(int64_t now) = 0;
  // Bookings the partner created on this UTC day (for its daily limit).
  virtual Result<int64_t> BookingsOnDay(const std::string& partner_id, Date day) = 0;

  // Traveller data (design.md 10): erases the personal fields (names, title, email, phone,
  // gender, flight number) of every booking of this email address (any case, any partner) and
  // the recipients of their messages; unsent messages are cancelled. Counts stay. Returns the
  // number of bookings erased.
  virtual Result<int64_t> EraseTraveller(const std::string& email) = 0;
  // The same for every booking whose trip ended (return date, else departure date) before `day`.
  virtual Result<int64_t> EraseTripsEndedBefore(Date day) = 0;

  // Ok when the database answers.
  virtual Status Ping() = 0;

  // True when reads are answered from this machine's memory or files in microseconds and
  // never wait for a writer or the network (SQLite in WAL mode, memory), so that they may run
  // on a network thread; false when a read is a round trip (PostgreSQL).
  virtual bool LocalReads() const { return false; }
};

}  // namespace tripsim::store
