#include "tripsim/store/postgres/postgres_store.h"

#include <algorithm>
#include <chrono>
#include <span>
#include <stop_token>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "tripsim/base/clock.h"
#include "tripsim/base/ids.h"
#include "tripsim/base/log.h"
#include "tripsim/base/metrics.h"
#include "tripsim/base/thread_name.h"
#include "tripsim/store/migrations.h"
#include "tripsim/store/paging.h"
#include "tripsim/store/postgres/create_batcher.h"
#include "tripsim/store/postgres/pg.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store {
namespace {

using domain::Booking;
using domain::Partner;
using pg::Conn;
using pg::P;
using pg::Params;
using pg::Rows;

// Any 64-bit number, the same in every instance: the key of the migration advisory lock.
constexpr int64_t kMigrationLock = 7'461'203'558'120'001;
constexpr int kTransactionAttempts = 5;

std::string Cols(std::string_view columns) { return std::string(columns); }

Params PartnerParams(const Partner& p) {
  return {P(p.id),
          P(p.name),
          P(p.api_key),
          P(p.secret_sealed),
          P(p.enabled),
          P(p.strategy_json),
          P(JoinList(p.destination_allow_list)),
          P(JoinList(p.package_types)),
          P(p.require_body_hash),
          P(p.webhook_url),
          P(p.webhook_secret_sealed),
          P(p.email_from),
          P(p.email_reply_to),
          P(p.display_name),
          P(p.reminder_days),
          P(p.rate_limit),
          P(p.created_at),
          P(p.previous_secret_sealed),
          P(p.previous_secret_until),
          P(p.daily_booking_limit)};
}

// The statements reading the promo codes and the messages of the bookings that
// `booking_ids` (a SELECT of booking ids) names, with its parameters, for AttachChildren.
std::vector<pg::Query> ChildQueries(const std::string& booking_ids, const Params& params) {
  return {
      {"SELECT booking_id, " + Cols(kPromoCodeColumns) + " FROM promo_codes WHERE booking_id IN (" +
           booking_ids + ") ORDER BY booking_id, position",
       params},
      {"SELECT booking_id, " + Cols(kMessageColumns) + " FROM messages WHERE booking_id IN (" +
           booking_ids + ") ORDER BY booking_id, position",
       params}};
}

// Gives each of `bookings` its rows of `codes` and `messages` (the results of ChildQueries).
Status AttachChildren(const Rows& codes, const Rows& messages, std::span<Booking> bookings) {
  std::unordered_map<std::string_view, Booking*> by_id;
  for (Booking& b : bookings) by_id.emplace(b.id, &b);
  auto owner = [&](const Rows& rows, int i) {
    auto it = by_id.find(rows.View(i, 0));
    return it == by_id.end() ? nullptr : it->second;
  };
  for (int i = 0; i < codes.size(); ++i) {
    if (Booking* b = owner(codes, i)) {
      TRIPSIM_ASSIGN_OR_RETURN(code, ReadPromoCode(pg::Row(codes, i), 1));
      b->promo_codes.push_back(std::move(code));
    }
  }
  for (int i = 0; i < messages.size(); ++i) {
    if (Booking* b = owner(messages, i)) {
      b->messages.push_back(ReadMessage(pg::Row(messages, i), 1));
    }
  }
  return Status::Ok();
}

// Adds $3 failed attempts for `reason` to the counters of day $1 and partner $2.
std::string CountFailedAttemptsSql(domain::FailureReason reason) {
  const std::string column = "failed_" + std::string(domain::FailureReasonName(reason));
  return "INSERT INTO daily_stats (day, partner_id, " + column +
         ") VALUES ($1, $2, $3) ON CONFLICT (day, partner_id, shard) DO UPDATE SET " + column +
         " = daily_stats." + column + " + excluded." + column;
}

// The first booking matching `where` ($1...), with its children; `lock` adds FOR UPDATE. The
// booking and its children are read in one round trip. They need no snapshot of their own:
// a booking's children are written with it, and each statement names it by the same `where`.
Result<Booking> QueryBooking(Conn& c, const std::string& where, const Params& params,
                             bool lock = false, std::string_view missing = "booking not found") {
  std::vector<pg::Query> queries = ChildQueries("SELECT id FROM bookings WHERE " + where, params);
  queries.insert(queries.begin(), {"SELECT " + Cols(kBookingColumns) + " FROM bookings WHERE " +
                                       where + (lock ? " FOR UPDATE" : ""),
                                   params});
  TRIPSIM_ASSIGN_OR_RETURN(rows, c.ExecAll(queries));
  if (rows[0].size() == 0) return NotFound(std::string(missing));
  TRIPSIM_ASSIGN_OR_RETURN(b, ReadBooking(pg::Row(rows[0], 0)));
  TRIPSIM_RETURN_IF_ERROR(AttachChildren(rows[1], rows[2], std::span(&b, 1)));
  return b;
}

pg::Query MessageInsert(const std::string& booking_id, int64_t position, const domain::Message& m) {
  return {
      "INSERT INTO messages (id, booking_id, position, channel, kind, recipient, status, "
      "attempts, created_at, due_at, sent_at, last_error, promo_code) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
      {P(m.id), P(booking_id), P(position), P(m.channel), P(m.kind), P(m.recipient),
       P(std::string(domain::MessageStatusName(m.status))), P(m.attempts), P(m.created_at),
       P(m.due_at), P(m.sent_at), P(m.last_error), P(m.promo_code)}};
}

Status InsertMessage(Conn& c, const std::string& booking_id, int64_t position,
                     const domain::Message& m) {
  pg::Query q = MessageInsert(booking_id, position, m);
  return c.Exec(q.sql, q.params).status();
}

// The statement queuing the partner's webhook `event` for the booking (it inserts nothing
// when the partner has no webhook URL).
pg::Query WebhookInsert(const std::string& booking_id, const std::string& event,
                        const std::string& subject_id, int64_t now) {
  return {
      "INSERT INTO webhook_events (id, partner_id, event, booking_id, subject_id, "
      "created_at, status, attempts, due_at, last_error) "
      "SELECT $1, b.partner_id, $2, b.id, $3, $4, 'PENDING', 0, $4, '' "
      "FROM bookings b JOIN partners p ON p.id = b.partner_id "
      "WHERE b.id = $5 AND p.webhook_url <> ''",
      {P(NewOrderedId("evt_")), P(event), P(subject_id), P(now), P(booking_id)}};
}

Status EnqueueWebhook(Conn& c, const std::string& booking_id, const std::string& event,
                      const std::string& subject_id, int64_t now) {
  pg::Query q = WebhookInsert(booking_id, event, subject_id, now);
  return c.Exec(q.sql, q.params).status();
}

Result<std::string> BookingOfMessage(Conn& c, const std::string& message_id) {
  TRIPSIM_ASSIGN_OR_RETURN(
      r, c.Exec("SELECT booking_id FROM messages WHERE id = $1", {P(message_id)}));
  if (r.size() == 0) return NotFound("message not found");
  return r.Text(0, 0);
}

// The statement inserting the new booking `b` unless its booking_id or key is taken: it
// returns the id when it inserted the row, nothing otherwise.
pg::Query BookingInsert(const Booking& b) {
  const domain::BookingRequest& r = b.request;
  return {"INSERT INTO bookings (" + Cols(kBookingColumns) +
              ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,"
              "$20,$21,$22,$23,$24) ON CONFLICT DO NOTHING RETURNING id",
          {P(b.id),
           P(b.partner_id),
           P(r.booking_id),
           b.idempotency_key.empty() ? std::nullopt : P(b.idempotency_key),
           P(b.fingerprint),
           P(std::string(domain::BookingStatusName(b.status))),
           P(b.created_at),
           P(r.departure_date),
           P(static_cast<int64_t>(r.departure().days)),
           P(r.return_date),
           P(r.email),
           P(r.first_name),
           P(r.last_name),
           P(r.full_name),
           P(r.title),
           P(r.phone),
           r.pax ? P(*r.pax) : std::nullopt,
           P(r.flight_number),
           P(r.gender),
           P(r.locale),
           P(r.external_id),
           P(r.should_send_message),
           P(JoinList(r.channels)),
           P(EncodeSpecs(r.package_specifications))}};
}

// The statements inserting the promo codes and messages of the new booking `b`, and its
// booking.created webhook.
std::vector<pg::Query> ChildrenAndWebhook(const Booking& b) {
  std::vector<pg::Query> out;
  out.reserve(b.promo_codes.size() + b.messages.size() + 1);
  for (size_t i = 0; i < b.promo_codes.size(); ++i) {
    const domain::PromoCode& p = b.promo_codes[i];
    out.push_back(
        {"INSERT INTO promo_codes (code, uuid, booking_id, position, spec_index, package, "
         "destination, strategy, reason, status, claimed_at, redeemed_at, valid_until) "
         "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
         {P(p.code), P(p.uuid), P(b.id), P(static_cast<int64_t>(i)), P(p.spec_index),
          p.package ? P(EncodePackage(*p.package)) : std::nullopt, P(p.destination),
          P(p.assignment.strategy), P(p.assignment.reason),
          P(std::string(domain::PromoStatusName(p.status))), P(p.claimed_at), P(p.redeemed_at),
          P(static_cast<int64_t>(p.valid_until.days))}});
  }
  for (size_t i = 0; i < b.messages.size(); ++i) {
    out.push_back(MessageInsert(b.id, static_cast<int64_t>(i), b.messages[i]));
  }
  out.push_back(WebhookInsert(b.id, "booking.created", "", b.created_at));
  return out;
}

Status Migrate(Conn& c) {
  TRIPSIM_RETURN_IF_ERROR(c.Script("BEGIN"));
  Status s = c.Script("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")");
  if (s.ok()) {
    s = c.Script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  }
  int current = 0;
  if (s.ok()) {
    auto q = c.Exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (q.ok()) current = static_cast<int>(q->Int(0, 0));
    s = q.status();
  }
  for (const Migration& m : Migrations()) {
    if (!s.ok() || m.version <= current) continue;
    if (!m.postgres.empty()) s = c.Script(std::string(m.postgres));  // (SQLite-only ones)
    if (s.ok()) {
      s = c.Exec(
               "INSERT INTO schema_migrations (version, description, applied_at) "
               "VALUES ($1, $2, extract(epoch from now())::bigint)",
               {P(m.version), P(std::string(m.description))})
              .status();
    }
  }
  if (!s.ok()) {
    (void)c.Script("ROLLBACK");
    return s;
  }
  return c.Script("COMMIT");
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const PostgresOptions& o)
      : pool_(o.url, o.pool_size),
        batcher_([this](std::vector<pg::CreateJob>& jobs) { WriteBatch(jobs); },
                 {.lanes = o.write_lanes, .max_batch = o.max_batch}) {
    if (o.fill_pool) {
      filler_ = std::jthread([this](const std::stop_token& stop) {
        NameThisThread("pg-pool-fill");
        Status s = pool_.Fill(stop);
        if (!s.ok()) log::Warn("store.pool_fill_failed", {{"error", s.message()}});
      });
    }
  }

  Status CreatePartner(const Partner& p) override {
    return Tx([&](Conn& c) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          r,
          c.Exec("INSERT INTO partners (" + Cols(kPartnerColumns) +
                     ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,"
                     "$20) "
                     "ON CONFLICT DO NOTHING RETURNING id",
                 PartnerParams(p)));
      if (r.size() == 0) return {ErrorCode::kAlreadyExists, "partner id or api key already exists"};
      return Status::Ok();
    });
  }

  Status UpdatePartner(const Partner& p) override {
    return Tx([&](Conn& c) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("UPDATE partners SET name=$2, api_key=$3, secret_sealed=$4, enabled=$5, "
                    "strategy_json=$6, allow_list=$7, package_types=$8, require_body_hash=$9, "
                    "webhook_url=$10, webhook_secret_sealed=$11, email_from=$12, "
                    "email_reply_to=$13, display_name=$14, reminder_days=$15, rate_limit=$16, "
                    "created_at=$17, previous_secret_sealed=$18, previous_secret_until=$19, "
                    "daily_booking_limit=$20 WHERE id=$1 RETURNING id",
                    PartnerParams(p)));
      if (r.size() == 0) return NotFound("unknown partner " + p.id);
      return Status::Ok();
    });
  }

  Result<Partner> GetPartner(const std::string& id) override { return QueryPartner("id", id); }

  Result<Partner> FindPartnerByApiKey(const std::string& key) override {
    return QueryPartner("api_key", key);
  }

  Result<std::vector<Partner>> ListPartners() override {
    return Read<std::vector<Partner>>([&](Conn& c) -> Result<std::vector<Partner>> {
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("SELECT " + Cols(kPartnerColumns) + " FROM partners ORDER BY created_at, id"));
      std::vector<Partner> out;
      for (int i = 0; i < r.size(); ++i) out.push_back(ReadPartner(pg::Row(r, i)));
      return out;
    });
  }

  Status UpsertPackages(const std::vector<domain::Package>& packages,
                        bool retire_missing) override {
    return Tx([&](Conn& c) -> Status {
      if (retire_missing) {
        TRIPSIM_RETURN_IF_ERROR(
            c.Exec("UPDATE packages SET doc = (doc::jsonb || '{\"retired\": true}'::jsonb)::text")
                .status());
      }
      for (const auto& p : packages) {
        TRIPSIM_RETURN_IF_ERROR(c.Exec("INSERT INTO packages (id, doc) VALUES ($1, $2) "
                                       "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                                       {P(p.id), P(EncodePackage(p))})
                                    .status());
      }
      return c.Exec("UPDATE catalog_version SET version = version + 1").status();
    });
  }

  Result<int64_t> CatalogVersion() override {
    return Read<int64_t>([&](Conn& c) -> Result<int64_t> {
      TRIPSIM_ASSIGN_OR_RETURN(r, c.Exec("SELECT version FROM catalog_version"));
      if (r.size() != 1) return Internal("catalog_version has no row");
      return r.Int(0, 0);
    });
  }

  Result<std::vector<domain::Package>> ListPackages() override {
    return Read<std::vector<domain::Package>>([&](Conn& c) -> Result<std::vector<domain::Package>> {
      TRIPSIM_ASSIGN_OR_RETURN(r, c.Exec("SELECT doc FROM packages ORDER BY id"));
      std::vector<domain::Package> out;
      for (int i = 0; i < r.size(); ++i) {
        TRIPSIM_ASSIGN_OR_RETURN(p, DecodePackage(r.Text(i, 0)));
        out.push_back(std::move(p));
      }
      return out;
    });
  }

  Result<CreateResult> CreateBooking(const Booking& b) override {
    bool inserted = false;
    Status st = Tx([&](Conn& c) -> Status {
      // A duplicate (same partner and booking_id or key) waits for the first writer's commit,
      // then inserts nothing: the existing booking is read after this transaction.
      pg::Query booking = BookingInsert(b);
      TRIPSIM_ASSIGN_OR_RETURN(rows, c.Exec(booking.sql, booking.params));
      inserted = rows.size() == 1;
      if (!inserted) return Status::Ok();
      // The children and the webhook in one round trip.
      return c.ExecAll(ChildrenAndWebhook(b)).status();
    });
    if (!st.ok()) return st;
    if (inserted) return CreateResult{b, true};
    return Twin(b);
  }

  void CreateBookingAsync(Booking b, std::function<void(Result<CreateResult>)> done) override {
    batcher_.Submit({std::move(b), std::move(done)});
  }

  Result<Booking> GetBooking(const std::string& partner_id, const std::string& id) override {
    return Read<Booking>([&](Conn& c) {
      return QueryBooking(c, "id = $1 AND partner_id = $2", {P(id), P(partner_id)});
    });
  }

  Result<Booking> FindBookingByReference(const std::string& partner_id,
                                         const std::string& booking_id) override {
    return Read<Booking>([&](Conn& c) {
      return QueryBooking(c, "partner_id = $1 AND booking_ref = $2",
                          {P(partner_id), P(booking_id)});
    });
  }

  Result<Booking> FindBookingByIdempotencyKey(const std::string& partner_id,
                                              const std::string& key) override {
    return Read<Booking>([&](Conn& c) {
      return QueryBooking(c, "partner_id = $1 AND idempotency_key = $2", {P(partner_id), P(key)});
    });
  }

  Result<BookingPage> ListBookings(const std::string& partner_id, const BookingFilter& f) override {
    return Read<BookingPage>([&](Conn& c) -> Result<BookingPage> {
      std::string where = "partner_id = $1";
      Params params = {P(partner_id)};
      Params counted = {P(partner_id)};
      auto add = [&](const std::string& clause, pg::Param value) {
        params.push_back(std::move(value));
        where += " AND " + clause + " $" + std::to_string(params.size());
      };
      if (f.status) add("status =", P(std::string(domain::BookingStatusName(*f.status))));
      if (f.created_from) {
        add("created_at >=", P(MillisOfDate(*f.created_from)));
        counted.push_back(P(static_cast<int64_t>(f.created_from->days)));
      }
      if (f.created_to) {
        add("created_at <", P(CreatedBefore(*f.created_to)));
        counted.push_back(P(static_cast<int64_t>(f.created_to->days)));
      }
      Params paged = params;
      paged.push_back(P(static_cast<int64_t>(f.per_page)));
      paged.push_back(P(static_cast<int64_t>(Offset(f))));
      const std::string page_of =
          " FROM bookings WHERE " + where + " ORDER BY created_at DESC, seq DESC LIMIT $" +
          std::to_string(paged.size() - 1) + " OFFSET $" + std::to_string(paged.size());
      // The total (from the per-day counters), the page and its children: one round trip,
      // one snapshot.
      std::vector<pg::Query> queries = ChildQueries("SELECT id" + page_of, paged);
      queries.insert(queries.begin(), {{CountBookingsSql(f, "$"), counted},
                                       {"SELECT " + Cols(kBookingColumns) + page_of, paged}});
      TRIPSIM_ASSIGN_OR_RETURN(rows, c.ExecAll(queries, /*snapshot=*/true));
      BookingPage page;
      page.total = rows[0].Int(0, 0);
      for (int i = 0; i < rows[1].size(); ++i) {
        TRIPSIM_ASSIGN_OR_RETURN(b, ReadBooking(pg::Row(rows[1], i)));
        page.bookings.push_back(std::move(b));
      }
      TRIPSIM_RETURN_IF_ERROR(AttachChildren(rows[2], rows[3], page.bookings));
      return page;
    });
  }

  Result<Booking> CancelBooking(const std::string& partner_id, const std::string& id,
                                const CancelRule& rule) override {
    Booking out;
    Status st = Tx([&](Conn& c) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          b, QueryBooking(c, "id = $1 AND partner_id = $2", {P(id), P(partner_id)}, true));
      TRIPSIM_RETURN_IF_ERROR(rule(b));
      if (b.status != domain::BookingStatus::kCancelled) {
        TRIPSIM_RETURN_IF_ERROR(
            EnqueueWebhook(c, b.id, "booking.cancelled", "", SystemClock().NowMillis()));
      }
      ApplyCancel(b);
      TRIPSIM_RETURN_IF_ERROR(
          c.Exec("UPDATE bookings SET status = 'CANCELLED' WHERE id = $1", {P(id)}).status());
      TRIPSIM_RETURN_IF_ERROR(c.Exec("UPDATE promo_codes SET status = 'REVOKED' WHERE "
                                     "booking_id = $1 AND status IN ('ISSUED', 'CLAIMED')",
                                     {P(id)})
                                  .status());
      TRIPSIM_RETURN_IF_ERROR(c.Exec("UPDATE messages SET status = 'CANCELLED' WHERE "
                                     "booking_id = $1 AND status = 'PENDING'",
                                     {P(id)})
                                  .status());
      out = std::move(b);
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  Status AddMessage(const std::string& booking_id, const domain::Message& message) override {
    return Tx([&](Conn& c) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          lock, c.Exec("SELECT id FROM bookings WHERE id = $1 FOR UPDATE", {P(booking_id)}));
      if (lock.size() == 0) return NotFound("booking not found");
      TRIPSIM_ASSIGN_OR_RETURN(
          pos, c.Exec("SELECT COUNT(*) FROM messages WHERE booking_id = $1", {P(booking_id)}));
      return InsertMessage(c, booking_id, pos.Int(0, 0), message);
    });
  }

  Result<Booking> FindBookingByPromoUuid(const std::string& uuid) override {
    return Read<Booking>([&](Conn& c) {
      return QueryBooking(c, "id = (SELECT booking_id FROM promo_codes WHERE uuid = $1)", {P(uuid)},
                          false, "promo code not found");
    });
  }

  Result<Booking> ClaimPromoCode(
      const std::string& uuid, int64_t now, const domain::Message& message,
      const std::function<Status(const Booking&, const domain::PromoCode&)>& rule) override {
    Booking out;
    Status st = Tx([&](Conn& c) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          owner, c.Exec("SELECT booking_id FROM promo_codes WHERE uuid = $1", {P(uuid)}));
      if (owner.size() == 0) return NotFound("promo code not found");
      TRIPSIM_ASSIGN_OR_RETURN(b, QueryBooking(c, "id = $1", {P(owner.Text(0, 0))}, true));
      auto code = std::find_if(b.promo_codes.begin(), b.promo_codes.end(),
                               [&](const domain::PromoCode& p) { return p.uuid == uuid; });
      TRIPSIM_RETURN_IF_ERROR(rule(b, *code));
      TRIPSIM_RETURN_IF_ERROR(
          c.Exec("UPDATE promo_codes SET status = 'CLAIMED', claimed_at = $1 WHERE uuid = $2",
                 {P(now), P(uuid)})
              .status());
      TRIPSIM_RETURN_IF_ERROR(
          InsertMessage(c, b.id, static_cast<int64_t>(b.messages.size()), message));
      code->status = domain::PromoStatus::kClaimed;
      code->claimed_at = now;
      b.messages.push_back(message);
      out = std::move(b);
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  Status ImportInventory(const std::vector<domain::EsimProfile>& profiles, int64_t now) override {
    return Tx([&](Conn& c) -> Status {
      int64_t order = now * 1000;  // keeps the file's order among profiles of one import
      for (const auto& p : profiles) {
        TRIPSIM_ASSIGN_OR_RETURN(
            r, c.Exec("INSERT INTO esim_profiles (iccid, smdp_address, matching_id, "
                      "confirmation_code, provider, test_profile, imported_at) "
                      "VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING RETURNING iccid",
                      {P(p.iccid), P(p.smdp_address), P(p.matching_id), P(p.confirmation_code),
                       P(p.provider), P(p.test_profile), P(order++)}));
        if (r.size() == 0) {
          return {ErrorCode::kAlreadyExists, "ICCID " + p.iccid + " is already in the inventory"};
        }
      }
      return Status::Ok();
    });
  }

  Result<std::vector<ProviderStock>> InventoryStatus() override {
    return Read<std::vector<ProviderStock>>([](Conn& c) -> Result<std::vector<ProviderStock>> {
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("SELECT provider, SUM((promo_code IS NULL)::int), "
                    "SUM((promo_code IS NOT NULL)::int) FROM esim_profiles GROUP BY provider "
                    "ORDER BY provider"));
      std::vector<ProviderStock> out;
      for (int i = 0; i < r.size(); ++i) out.push_back({r.Text(i, 0), r.Int(i, 1), r.Int(i, 2)});
      return out;
    });
  }

  Result<Redemption> FindRedemption(const std::string& code) override {
    return Read<Redemption>([&](Conn& c) -> Result<Redemption> {
      TRIPSIM_ASSIGN_OR_RETURN(
          b, QueryBooking(c, "id = (SELECT booking_id FROM promo_codes WHERE code = $1)", {P(code)},
                          false, "promo code not found"));
      TRIPSIM_ASSIGN_OR_RETURN(held, c.Exec("SELECT " + Cols(kProfileColumns) +
                                                " FROM esim_profiles WHERE promo_code = $1",
                                            {P(code)}));
      Redemption r{std::move(b), {}, false};
      if (held.size() > 0) r.profile = ReadProfile(pg::Row(held, 0));
      return r;
    });
  }

  Result<Redemption> RedeemPromoCode(const std::string& code, int64_t now,
                                     const std::optional<domain::EsimProfile>& synthetic,
                                     const PromoRule& rule,
                                     const std::optional<domain::PromoCode>& assign) override {
    Redemption out;
    Status st = Tx([&](Conn& c) -> Status {
      // The booking's row lock serializes the redemptions of its codes (and a cancellation)
      // across instances; its codes are read after the lock, so the last redemption sees the
      // others and completes the booking.
      TRIPSIM_ASSIGN_OR_RETURN(
          owner, c.Exec("SELECT booking_id FROM promo_codes WHERE code = $1", {P(code)}));
      if (owner.size() == 0) return NotFound("promo code not found");
      TRIPSIM_ASSIGN_OR_RETURN(b, QueryBooking(c, "id = $1", {P(owner.Text(0, 0))}, true));
      auto pc = std::find_if(b.promo_codes.begin(), b.promo_codes.end(),
                             [&](const domain::PromoCode& p) { return p.code == code; });
      TRIPSIM_ASSIGN_OR_RETURN(held, c.Exec("SELECT " + Cols(kProfileColumns) +
                                                " FROM esim_profiles WHERE promo_code = $1",
                                            {P(code)}));
      if (held.size() > 0) {
        out = {b, ReadProfile(pg::Row(held, 0)), false};
        return Status::Ok();
      }
      if (assign && assign->package && !pc->package) {
        TRIPSIM_RETURN_IF_ERROR(
            c.Exec("UPDATE promo_codes SET package = $1, destination = $2, strategy = $3, "
                   "reason = $4 WHERE code = $5",
                   {P(EncodePackage(*assign->package)), P(assign->destination),
                    P(assign->assignment.strategy), P(assign->assignment.reason), P(code)})
                .status());
        pc->package = assign->package;
        pc->destination = assign->destination;
        pc->assignment = assign->assignment;
      }
      TRIPSIM_RETURN_IF_ERROR(rule(b, *pc));
      const std::string provider = pc->package ? pc->package->provider : "";
      TRIPSIM_ASSIGN_OR_RETURN(
          free, c.Exec("SELECT " + Cols(kProfileColumns) +
                           " FROM esim_profiles WHERE provider = $1 AND promo_code IS NULL "
                           "ORDER BY imported_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                       {P(provider)}));
      domain::EsimProfile profile;
      if (free.size() > 0) {
        profile = ReadProfile(pg::Row(free, 0));
      } else if (synthetic) {
        profile = *synthetic;
        TRIPSIM_RETURN_IF_ERROR(
            c.Exec("INSERT INTO esim_profiles (iccid, smdp_address, matching_id, "
                   "confirmation_code, provider, test_profile, imported_at) "
                   "VALUES ($1,$2,$3,$4,$5,1,$6)",
                   {P(profile.iccid), P(profile.smdp_address), P(profile.matching_id),
                    P(profile.confirmation_code), P(profile.provider), P(now * 1000)})
                .status());
      } else {
        return Status(ErrorCode::kResourceExhausted, "no eSIM in stock for " + provider);
      }
      TRIPSIM_RETURN_IF_ERROR(c.Exec("UPDATE esim_profiles SET promo_code = $1, assigned_at = $2 "
                                     "WHERE iccid = $3 AND promo_code IS NULL",
                                     {P(code), P(now), P(profile.iccid)})
                                  .status());
      TRIPSIM_RETURN_IF_ERROR(
          c.Exec("UPDATE promo_codes SET status = 'REDEEMED', redeemed_at = $1 WHERE code = $2",
                 {P(now), P(code)})
              .status());
      pc->status = domain::PromoStatus::kRedeemed;
      pc->redeemed_at = now;
      bool all = std::all_of(b.promo_codes.begin(), b.promo_codes.end(), [](const auto& p) {
        return p.status == domain::PromoStatus::kRedeemed ||
               p.status == domain::PromoStatus::kRevoked;
      });
      if (all) {
        b.status = domain::BookingStatus::kCompleted;
        TRIPSIM_RETURN_IF_ERROR(
            c.Exec("UPDATE bookings SET status = 'COMPLETED' WHERE id = $1", {P(b.id)}).status());
      }
      TRIPSIM_RETURN_IF_ERROR(EnqueueWebhook(c, b.id, "promo_code.redeemed", code, now));
      out = {std::move(b), profile, true};
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<OutboxItem>> ClaimDueMessages(int64_t now, int64_t lease_until,
                                                   int limit) override {
    std::vector<std::pair<std::string, std::string>> claimed;  // (message id, booking id)
    Status st = Tx([&](Conn& c) -> Status {
      claimed.clear();
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("UPDATE messages SET lease_until = $1, attempts = attempts + 1 "
                    "WHERE id IN (SELECT id FROM messages WHERE status = 'PENDING' "
                    "AND due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2) "
                    "ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id, booking_id",
                    {P(lease_until), P(now), P(limit)}));
      for (int i = 0; i < r.size(); ++i) claimed.emplace_back(r.Text(i, 0), r.Text(i, 1));
      return Status::Ok();
    });
    if (!st.ok()) return st;
    std::vector<OutboxItem> out;
    for (const auto& [message_id, booking_id] : claimed) {
      TRIPSIM_ASSIGN_OR_RETURN(b, Read<Booking>([&, &booking_id = booking_id](Conn& c) {
                                 return QueryBooking(c, "id = $1", {P(booking_id)});
                               }));
      for (const auto& m : b.messages) {
        if (m.id == message_id) out.push_back({m, b});
      }
    }
    return out;
  }

  Status MarkMessageSent(const std::string& message_id, int64_t sent_at) override {
    return Tx([&](Conn& c) -> Status {
      TRIPSIM_RETURN_IF_ERROR(c.Exec("UPDATE messages SET status = 'SENT', sent_at = $1, "
                                     "lease_until = NULL, last_error = '' WHERE id = $2",
                                     {P(sent_at), P(message_id)})
                                  .status());
      TRIPSIM_ASSIGN_OR_RETURN(booking_id, BookingOfMessage(c, message_id));
      return EnqueueWebhook(c, booking_id, "message.sent", message_id, sent_at);
    });
  }

  Status MarkMessageFailed(const std::string& message_id, const std::string& error,
                           std::optional<int64_t> retry_at) override {
    return Tx([&](Conn& c) -> Status {
      if (retry_at) {
        return c
            .Exec(
                "UPDATE messages SET due_at = $1, last_error = $2, lease_until = NULL "
                "WHERE id = $3",
                {P(*retry_at), P(error), P(message_id)})
            .status();
      }
      TRIPSIM_RETURN_IF_ERROR(c.Exec("UPDATE messages SET status = 'FAILED', last_error = $1, "
                                     "lease_until = NULL WHERE id = $2",
                                     {P(error), P(message_id)})
                                  .status());
      TRIPSIM_ASSIGN_OR_RETURN(booking_id, BookingOfMessage(c, message_id));
      return EnqueueWebhook(c, booking_id, "message.failed", message_id, SystemClock().NowMillis());
    });
  }

  Result<std::vector<WebhookEvent>> ClaimDueWebhooks(int64_t now, int64_t lease_until,
                                                     int limit) override {
    std::vector<WebhookEvent> out;
    Status st = Tx([&](Conn& c) -> Status {
      out.clear();
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("UPDATE webhook_events SET lease_until = $1, attempts = attempts + 1 "
                    "WHERE id IN (SELECT id FROM webhook_events WHERE status = 'PENDING' "
                    "AND due_at <= $2 AND (lease_until IS NULL OR lease_until <= $2) "
                    "ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING " +
                        Cols(kWebhookColumns),
                    {P(lease_until), P(now), P(limit)}));
      for (int i = 0; i < r.size(); ++i) out.push_back(ReadWebhook(pg::Row(r, i)));
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  Status MarkWebhookDelivered(const std::string& event_id, int64_t) override {
    return Tx([&](Conn& c) -> Status {
      return c
          .Exec(
              "UPDATE webhook_events SET status = 'DELIVERED', lease_until = NULL, "
              "last_error = '' WHERE id = $1",
              {P(event_id)})
          .status();
    });
  }

  Status MarkWebhookFailed(const std::string& event_id, const std::string& error,
                           std::optional<int64_t> retry_at) override {
    return Tx([&](Conn& c) -> Status {
      if (retry_at) {
        return c
            .Exec(
                "UPDATE webhook_events SET due_at = $1, last_error = $2, lease_until = NULL "
                "WHERE id = $3",
                {P(*retry_at), P(error), P(event_id)})
            .status();
      }
      return c
          .Exec(
              "UPDATE webhook_events SET status = 'DEAD', last_error = $1, lease_until = NULL "
              "WHERE id = $2",
              {P(error), P(event_id)})
          .status();
    });
  }

  Status RequeueWebhook(const std::string& event_id, int64_t now) override {
    return Tx([&](Conn& c) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(r,
                               c.Exec("UPDATE webhook_events SET status = 'PENDING', due_at = $1, "
                                      "lease_until = NULL WHERE id = $2 RETURNING id",
                                      {P(now), P(event_id)}));
      if (r.size() == 0) return NotFound("unknown webhook event " + event_id);
      return Status::Ok();
    });
  }

  Result<std::vector<FailedMessage>> ListFailedMessages(
      const std::optional<std::string>& partner_id, int limit) override {
    return Read<std::vector<FailedMessage>>([&](Conn& c) -> Result<std::vector<FailedMessage>> {
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("SELECT m.id, m.booking_id, b.partner_id, m.recipient, m.attempts, "
                    "m.created_at, m.last_error FROM messages m JOIN bookings b "
                    "ON b.id = m.booking_id WHERE m.status = 'FAILED' "
                    "AND ($1::text IS NULL OR b.partner_id = $1) "
                    "ORDER BY m.created_at DESC, m.id DESC LIMIT $2",
                    {P(partner_id), P(limit)}));
      std::vector<FailedMessage> out;
      for (int i = 0; i < r.size(); ++i) {
        out.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3),
                       static_cast<int>(r.Int(i, 4)), r.Int(i, 5), r.Text(i, 6)});
      }
      return out;
    });
  }

  Result<std::vector<WebhookEvent>> ListWebhookEvents(const std::string& partner_id,
                                                      int limit) override {
    return Read<std::vector<WebhookEvent>>([&](Conn& c) -> Result<std::vector<WebhookEvent>> {
      TRIPSIM_ASSIGN_OR_RETURN(r, c.Exec("SELECT " + Cols(kWebhookColumns) +
                                             " FROM webhook_events WHERE partner_id = $1 "
                                             "ORDER BY created_at DESC, seq DESC LIMIT $2",
                                         {P(partner_id), P(limit)}));
      std::vector<WebhookEvent> out;
      for (int i = 0; i < r.size(); ++i) out.push_back(ReadWebhook(pg::Row(r, i)));
      return out;
    });
  }

  Status ExpireIdempotencyKeys(int64_t before_millis) override {
    return Tx([&](Conn& c) -> Status {
      return c
          .Exec(
              "UPDATE bookings SET idempotency_key = NULL "
              "WHERE idempotency_key IS NOT NULL AND created_at < $1",
              {P(before_millis)})
          .status();
    });
  }

  Status RecordFailedAttempts(const std::vector<FailedAttempt>& attempts) override {
    return Tx([&](Conn& c) -> Status {
      for (const FailedAttempt& a : attempts) {
        TRIPSIM_RETURN_IF_ERROR(
            c.Exec(CountFailedAttemptsSql(a.reason),
                   {P(static_cast<int64_t>(DateOfMillis(a.at).days)), P(a.partner_id), P(a.count)})
                .status());
      }
      return Status::Ok();
    });
  }

  Result<StatsData> QueryStats(Date from, Date to,
                               const std::optional<std::string>& partner_id) override {
    return Read<StatsData>([&](Conn& c) -> Result<StatsData> {
      const std::string where =
          std::string(" WHERE day BETWEEN $1 AND $2") + (partner_id ? " AND partner_id = $3" : "");
      Params params = {P(static_cast<int64_t>(from.days)), P(static_cast<int64_t>(to.days))};
      if (partner_id) params.push_back(P(*partner_id));
      StatsData out;
      TRIPSIM_ASSIGN_OR_RETURN(
          rows, c.Exec("SELECT day, partner_id, SUM(accepted), SUM(failed_validation), "
                       "SUM(failed_authentication), SUM(failed_no_package), SUM(failed_conflict), "
                       "SUM(failed_rate_limited), SUM(failed_internal), SUM(messages_pending), "
                       "SUM(messages_sent), SUM(messages_failed), SUM(messages_cancelled), "
                       "SUM(codes_issued), SUM(codes_redeemed), SUM(codes_revoked) "
                       "FROM daily_stats" +
                           where + " GROUP BY day, partner_id ORDER BY day, partner_id",
                       params));
      for (int i = 0; i < rows.size(); ++i) {
        StatsRow row{Date{static_cast<int32_t>(rows.Int(i, 0))}, rows.Text(i, 1), {}};
        domain::DayCounters& k = row.counters;
        k.accepted = rows.Int(i, 2);
        for (size_t f = 0; f < k.failed.size(); ++f)
          k.failed[f] = rows.Int(i, 3 + static_cast<int>(f));
        k.messages_pending = rows.Int(i, 9);
        k.messages_sent = rows.Int(i, 10);
        k.messages_failed = rows.Int(i, 11);
        k.messages_cancelled = rows.Int(i, 12);
        k.codes_issued = rows.Int(i, 13);
        k.codes_redeemed = rows.Int(i, 14);
        k.codes_revoked = rows.Int(i, 15);
        out.rows.push_back(std::move(row));
      }
      TRIPSIM_ASSIGN_OR_RETURN(times, c.Exec("SELECT day, partner_id, steps, n FROM send_times" +
                                                 where + " ORDER BY day, partner_id, steps",
                                             params));
      for (int i = 0; i < times.size(); ++i) {
        out.send_times.push_back({Date{static_cast<int32_t>(times.Int(i, 0))}, times.Text(i, 1),
                                  times.Int(i, 2), times.Int(i, 3)});
      }
      return out;
    });
  }

  Status CreateAccessToken(const AccessToken& t) override {
    return Tx([&](Conn& c) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("INSERT INTO access_tokens (token_hash, partner_id, created_at) "
                    "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING token_hash",
                    {P(t.token_hash), P(t.partner_id), P(t.created_at)}));
      if (r.size() == 0) return {ErrorCode::kAlreadyExists, "token exists"};
      return Status::Ok();
    });
  }

  Result<AccessToken> FindAccessToken(const std::string& token_hash) override {
    return Read<AccessToken>([&](Conn& c) -> Result<AccessToken> {
      TRIPSIM_ASSIGN_OR_RETURN(r, c.Exec("SELECT token_hash, partner_id, created_at FROM "
                                         "access_tokens WHERE token_hash = $1",
                                         {P(token_hash)}));
      if (r.size() == 0) return NotFound("unknown token");
      return AccessToken{r.Text(0, 0), r.Text(0, 1), r.Int(0, 2)};
    });
  }

  Result<Usage> QueryUsage(int64_t from_millis, int64_t to_millis,
                           const std::optional<std::string>& partner_id) override {
    return Read<Usage>([&](Conn& c) -> Result<Usage> {
      const std::string where = std::string(" WHERE b.created_at >= $1 AND b.created_at < $2") +
                                (partner_id ? " AND b.partner_id = $3" : "");
      Params params = {P(from_millis), P(to_millis)};
      if (partner_id) params.push_back(P(*partner_id));
      Usage out;
      TRIPSIM_ASSIGN_OR_RETURN(
          counts, c.Exec("SELECT b.partner_id, COUNT(*), SUM((b.status = 'CANCELLED')::int) "
                         "FROM bookings b" +
                             where + " GROUP BY b.partner_id ORDER BY b.partner_id",
                         params));
      for (int i = 0; i < counts.size(); ++i) {
        out.bookings.emplace_back(counts.Text(i, 0), counts.Int(i, 1));
        out.cancelled.emplace_back(counts.Text(i, 0), counts.Int(i, 2));
      }
      TRIPSIM_ASSIGN_OR_RETURN(
          codes, c.Exec("SELECT b.partner_id, p.package, COUNT(*), "
                        "SUM((p.status = 'REDEEMED')::int) FROM promo_codes p "
                        "JOIN bookings b ON b.id = p.booking_id" +
                            where +
                            " AND p.status <> 'REVOKED' GROUP BY b.partner_id, p.package "
                            "ORDER BY b.partner_id, p.package NULLS FIRST",
                        params));
      for (int i = 0; i < codes.size(); ++i) {
        UsageRow row{codes.Text(i, 0), std::nullopt, codes.Int(i, 2), codes.Int(i, 3)};
        if (auto doc = codes.OptText(i, 1)) {
          TRIPSIM_ASSIGN_OR_RETURN(pkg, DecodePackage(*doc));
          row.package = std::move(pkg);
        }
        out.packages.push_back(std::move(row));
      }
      return out;
    });
  }

  Result<int64_t> EraseTraveller(const std::string& email) override {
    return Erase("lower(email) = lower($1)", P(email));
  }

  Result<int64_t> EraseTripsEndedBefore(Date day) override {
    return Erase("COALESCE(return_date, departure_date) < $1", P(FormatDate(day)));
  }

  Result<int64_t> BookingsOnDay(const std::string& partner_id, Date day) override {
    return Read<int64_t>([&](Conn& c) -> Result<int64_t> {
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("SELECT COALESCE(SUM(accepted), 0) FROM daily_stats WHERE day = $1 AND "
                    "partner_id = $2",
                    {P(static_cast<int64_t>(day.days)), P(partner_id)}));
      return r.Int(0, 0);
    });
  }

  Result<OutboxDepth> QueueDepth(int64_t now) override {
    return Read<OutboxDepth>([&](Conn& c) -> Result<OutboxDepth> {
      OutboxDepth out;
      TRIPSIM_ASSIGN_OR_RETURN(
          m, c.Exec("SELECT COUNT(*), MIN(due_at) FROM messages WHERE status = 'PENDING' "
                    "AND due_at <= $1",
                    {P(now)}));
      out.messages = m.Int(0, 0);
      out.oldest_message_due_at = m.OptInt(0, 1);
      TRIPSIM_ASSIGN_OR_RETURN(
          w, c.Exec("SELECT COUNT(*), MIN(due_at) FROM webhook_events WHERE status = 'PENDING' "
                    "AND due_at <= $1",
                    {P(now)}));
      out.webhooks = w.Int(0, 0);
      out.oldest_webhook_due_at = w.OptInt(0, 1);
      return out;
    });
  }

  Status Ping() override {
    return Read<int>([](Conn& c) -> Result<int> {
             TRIPSIM_RETURN_IF_ERROR(c.Exec("SELECT 1").status());
             return 1;
           })
        .status();
  }

 private:
  // Writes a batch of new bookings (CreateBatcher's lanes) in one transaction: the bookings in
  // one round trip, then the children and webhooks of those inserted in a second, then one
  // commit. A booking that would fail the batch (a constraint, a bad value) must not fail its
  // neighbours: when the batch fails, each booking is written again alone (unless the database
  // is out of reach, which fails them all at once).
  void WriteBatch(std::vector<pg::CreateJob>& jobs) {
    // In one order for every writer, so that two batches racing for the same booking_ids
    // (another instance's) wait for each other rather than deadlock.
    std::sort(jobs.begin(), jobs.end(), [](const pg::CreateJob& a, const pg::CreateJob& b) {
      return std::tie(a.booking.partner_id, a.booking.request.booking_id,
                      a.booking.idempotency_key) < std::tie(b.booking.partner_id,
                                                            b.booking.request.booking_id,
                                                            b.booking.idempotency_key);
    });
    std::vector<char> inserted(jobs.size(), 0);
    const auto start = std::chrono::steady_clock::now();
    Status st = Tx([&](Conn& c) -> Status {
      std::vector<pg::Query> bookings;
      bookings.reserve(jobs.size());
      for (const pg::CreateJob& j : jobs) bookings.push_back(BookingInsert(j.booking));
      TRIPSIM_ASSIGN_OR_RETURN(rows, c.ExecAll(bookings));
      std::vector<pg::Query> children;
      for (size_t i = 0; i < jobs.size(); ++i) {
        inserted[i] = rows[i].size() == 1 ? 1 : 0;
        if (!inserted[i]) continue;
        std::vector<pg::Query> mine = ChildrenAndWebhook(jobs[i].booking);
        std::move(mine.begin(), mine.end(), std::back_inserter(children));
      }
      if (children.empty()) return Status::Ok();
      return c.ExecAll(children).status();
    });
    if (st.ok()) {
      commit_seconds_->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      committed_->Add(static_cast<double>(std::count(inserted.begin(), inserted.end(), 1)));
    }
    // The database out of reach fails the batch as a whole; anything else may be one
    // booking's fault.
    const bool alone = !st.ok() && st.code() != ErrorCode::kUnavailable;
    for (size_t i = 0; i < jobs.size(); ++i) {
      pg::CreateJob& j = jobs[i];
      if (alone) {
        j.done(CreateBooking(j.booking));
      } else if (!st.ok()) {
        j.done(st);
      } else if (inserted[i]) {
        j.done(CreateResult{std::move(j.booking), true});
      } else {
        j.done(Twin(j.booking));
      }
    }
  }

  // The booking already stored under `b`'s booking_id or key, which kept `b` from being
  // inserted.
  Result<CreateResult> Twin(const Booking& b) {
    Result<Booking> existing = b.request.booking_id
                                   ? FindBookingByReference(b.partner_id, *b.request.booking_id)
                                   : FindBookingByIdempotencyKey(b.partner_id, b.idempotency_key);
    if (!existing.ok()) return existing.status();
    return CreateResult{std::move(existing).value(), false};
  }

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
  Result<int64_t> Erase(const std::string& where, const pg::Param& value) {
    int64_t erased = 0;
    Status st = Tx([&](Conn& c) -> Status {
      const std::string selected = "SELECT id FROM bookings WHERE (" + where +
                                   ") AND (email IS NOT NULL OR first_name IS NOT NULL OR "
                                   "last_name IS NOT NULL OR full_name IS NOT NULL OR "
                                   "phone IS NOT NULL)";
      TRIPSIM_RETURN_IF_ERROR(
          c.Exec("UPDATE messages SET recipient = '', status = CASE WHEN status = 'PENDING' "
                 "THEN 'CANCELLED' ELSE status END WHERE booking_id IN (" +
                     selected + ")",
                 {value})
              .status());
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("UPDATE bookings SET email = NULL, first_name = NULL, last_name = NULL, "
                    "full_name = NULL, title = NULL, phone = NULL, gender = NULL, "
                    "flight_number = NULL WHERE id IN (" +
                        selected + ") RETURNING id",
                    {value}));
      erased = r.size();
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return erased;
  }

  Result<Partner> QueryPartner(const char* column, const std::string& value) {
    return Read<Partner>([&](Conn& c) -> Result<Partner> {
      TRIPSIM_ASSIGN_OR_RETURN(
          r, c.Exec("SELECT " + Cols(kPartnerColumns) + " FROM partners WHERE " + column + " = $1",
                    {P(value)}));
      if (r.size() == 0) return NotFound("partner not found");
      return ReadPartner(pg::Row(r, 0));
    });
  }

  HistogramSeries* const commit_seconds_ = Metrics::Global().Histogram(
      "tripsim_store_commit_duration_seconds", {{"store", "postgres"}});  // the batches'
  CounterSeries* const committed_ = Metrics::Global().Counter(
      "tripsim_store_committed_writes_total", {{"store", "postgres"}});  // bookings in them
  pg::Pool pool_;
  pg::CreateBatcher batcher_;  // after the pool, which its lanes use until they stop
  std::jthread filler_;        // opens the pool's connections at start; stopped first
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  auto store = std::make_unique<PostgresStore>(options);
  if (options.migrate) {
    TRIPSIM_ASSIGN_OR_RETURN(c, pg::Conn::Connect(options.url));
    TRIPSIM_RETURN_IF_ERROR(Migrate(*c));
  } else {
    TRIPSIM_RETURN_IF_ERROR(store->Ping());
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tripsim::store
