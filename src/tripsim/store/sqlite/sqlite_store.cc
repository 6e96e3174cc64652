#include "tripsim/store/sqlite/sqlite_store.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <vector>

#include "tripsim/base/clock.h"
#include "tripsim/base/date.h"
#include "tripsim/base/ids.h"
#include "tripsim/store/migrations.h"
#include "tripsim/store/paging.h"
#include "tripsim/store/row_codec.h"
#include "tripsim/store/sqlite/checkpointer.h"
#include "tripsim/store/sqlite/commit_watch.h"
#include "tripsim/store/sqlite/group_commit.h"

namespace tripsim::store {
namespace {

using domain::Booking;
using domain::Partner;
using sqlite::Checkpointer;
using sqlite::CommitWatch;
using sqlite::Db;
using sqlite::GroupCommitWriter;
using sqlite::Stmt;

void BindPartner(Stmt& s, const Partner& p) {
  s.Bind(1, p.id).Bind(2, p.name).Bind(3, p.api_key).Bind(4, p.secret_sealed).Bind(5, p.enabled);
  s.Bind(6, p.strategy_json).Bind(7, JoinList(p.destination_allow_list));
  s.Bind(8, JoinList(p.package_types)).Bind(9, p.require_body_hash).Bind(10, p.webhook_url);
  s.Bind(11, p.webhook_secret_sealed).Bind(12, p.email_from).Bind(13, p.email_reply_to);
  s.Bind(14, p.display_name).Bind(15, p.reminder_days).Bind(16, p.rate_limit);
  s.Bind(17, p.created_at).Bind(18, p.previous_secret_sealed).Bind(19, p.previous_secret_until);
  s.Bind(20, p.daily_booking_limit);
}

std::optional<int64_t> OptInt(const std::optional<int>& v) {
  return v ? std::optional<int64_t>(*v) : std::nullopt;
}

// What new rows add to one day's dashboard counters of a partner (daily_stats). Migration 9
// dropped the insert triggers that kept them: a trigger's frame and the statement journal it
// forces cost a third of a booking's write. Every insert of a booking, promo code or message
// goes through this file and counts itself here, in its own transaction (NewRowCounters);
// status changes and deletions are still counted by triggers, whoever writes.
struct NewRows {
  // Indexed by status, in the order of the counters' columns below.
  static_assert(static_cast<int>(domain::BookingStatus::kExpired) == 3);
  static_assert(static_cast<int>(domain::MessageStatus::kCancelled) == 3);
  std::array<int64_t, 4> bookings = {};  // confirmed, completed, cancelled, expired
  int64_t codes = 0;
  int64_t codes_redeemed = 0;
  int64_t codes_revoked = 0;
  std::array<int64_t, 4> messages = {};  // pending, sent, failed, cancelled

  void Add(const Booking& b) { ++bookings[static_cast<size_t>(b.status)]; }
  void Add(const domain::PromoCode& p) {
    ++codes;
    codes_redeemed += p.status == domain::PromoStatus::kRedeemed;
    codes_revoked += p.status == domain::PromoStatus::kRevoked;
  }
  void Add(const domain::Message& m) { ++messages[static_cast<size_t>(m.status)]; }
  void Add(const NewRows& n) {
    for (size_t i = 0; i < 4; ++i) bookings[i] += n.bookings[i];
    codes += n.codes;
    codes_redeemed += n.codes_redeemed;
    codes_revoked += n.codes_revoked;
    for (size_t i = 0; i < 4; ++i) messages[i] += n.messages[i];
  }
};

// The day of daily_stats and send_times: the UTC date of a time, as a day number.
int64_t DayOf(int64_t millis) { return DateOfMillis(millis).days; }

Status CountNewRows(Db& db, int64_t day, const std::string& partner_id, const NewRows& n) {
  TRIPSIM_ASSIGN_OR_RETURN(
      s, db.Prepare(
             "INSERT INTO daily_stats (day, partner_id, accepted, bookings_confirmed, "
             "bookings_completed, bookings_cancelled, bookings_expired, codes_issued, "
             "codes_redeemed, codes_revoked, messages_pending, messages_sent, messages_failed, "
             "messages_cancelled) VALUES (?1, ?2, ?3 + ?4 + ?5 + ?6, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
             "?10, ?11, ?12, ?13) ON CONFLICT (day, partner_id) DO UPDATE SET "
             "accepted = accepted + excluded.accepted, "
             "bookings_confirmed = bookings_confirmed + excluded.bookings_confirmed, "
             "bookings_completed = bookings_completed + excluded.bookings_completed, "
             "bookings_cancelled = bookings_cancelled + excluded.bookings_cancelled, "
             "bookings_expired = bookings_expired + excluded.bookings_expired, "
             "codes_issued = codes_issued + excluded.codes_issued, "
             "codes_redeemed = codes_redeemed + excluded.codes_redeemed, "
             "codes_revoked = codes_revoked + excluded.codes_revoked, "
             "messages_pending = messages_pending + excluded.messages_pending, "
             "messages_sent = messages_sent + excluded.messages_sent, "
             "messages_failed = messages_failed + excluded.messages_failed, "
             "messages_cancelled = messages_cancelled + excluded.messages_cancelled"));
  s.Bind(1, day).Bind(2, partner_id);
  for (size_t i = 0; i < 4; ++i) s.Bind(3 + static_cast<int>(i), n.bookings[i]);
  s.Bind(7, n.codes).Bind(8, n.codes_redeemed).Bind(9, n.codes_revoked);
  for (size_t i = 0; i < 4; ++i) s.Bind(10 + static_cast<int>(i), n.messages[i]);
  return s.Run();
}

// The counters of the rows a transaction inserts, added up in memory and written once, just
// before its commit (GroupCommitWriter::Deferred). A batch's bookings are of one day and mostly
// of one partner: the one counter row they all add to is written once a batch, not once a
// booking (9 % of the writer's instructions per booking, bench/writer_cost).
class NewRowCounters final : public GroupCommitWriter::Deferred {
 public:
  // Counts `n` on `day` for `partner_id`, as the running job's.
  void Add(int64_t day, std::string_view partner_id, const NewRows& n) {
    AddTo(job_, day, partner_id, n);
  }

  void EndJob(bool kept) override {
    if (kept) {
      for (const Entry& e : job_) AddTo(transaction_, e.day, e.partner_id, e.rows);
    }
    job_.clear();
  }

  Status Flush(Db& db) override {
    Status s = Status::Ok();
    for (const Entry& e : transaction_) {
      s = CountNewRows(db, e.day, e.partner_id, e.rows);
      if (!s.ok()) break;
    }
    transaction_.clear();
    return s;
  }

  void Forget() override {
    job_.clear();
    transaction_.clear();
  }

 private:
  struct Entry {
    int64_t day;
    std::string partner_id;
    NewRows rows;
  };

  // A batch holds a few partners at most: a search of a short vector finds the entry.
  static void AddTo(std::vector<Entry>& to, int64_t day, std::string_view partner_id,
                    const NewRows& n) {
    for (Entry& e : to) {
      if (e.day == day && e.partner_id == partner_id) {
        e.rows.Add(n);
        return;
      }
    }
    to.push_back({day, std::string(partner_id), n});
  }

  std::vector<Entry> job_;          // what the running job counted
  std::vector<Entry> transaction_;  // what the transaction's kept jobs counted
};

// A message stored as already sent counts its time to send, as the dashboard's histogram
// does for those sent later (the trigger on messages' status).
Status CountSendTime(Db& db, const std::string& partner_id, const domain::Message& m) {
  if (m.status != domain::MessageStatus::kSent || !m.sent_at || m.kind == "reminder") {
    return Status::Ok();
  }
  TRIPSIM_ASSIGN_OR_RETURN(
      s, db.Prepare("INSERT INTO send_times (day, partner_id, steps, n) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (day, partner_id, steps) DO UPDATE SET n = n + 1"));
  s.Bind(1, DayOf(m.created_at)).Bind(2, partner_id);
  s.Bind(3, std::max<int64_t>(0, (*m.sent_at - m.created_at) / 10));
  return s.Run();
}

Status InsertMessageRow(Db& db, const std::string& booking_id, int64_t position,
                        const domain::Message& m) {
  TRIPSIM_ASSIGN_OR_RETURN(
      s, db.Prepare("INSERT INTO messages (id, booking_id, position, channel, kind, recipient, "
                    "status, attempts, created_at, due_at, sent_at, last_error, promo_code) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, m.id).Bind(2, booking_id).Bind(3, position).Bind(4, m.channel).Bind(5, m.kind);
  s.Bind(6, m.recipient).Bind(7, domain::MessageStatusName(m.status)).Bind(8, m.attempts);
  s.Bind(9, m.created_at).Bind(10, m.due_at).Bind(11, m.sent_at).Bind(12, m.last_error);
  s.Bind(13, m.promo_code);
  return s.Run();
}

// A message added to an existing booking of `partner_id`, counted; the booking's revision
// moves (migration 10: there is no insert trigger for it).
Status InsertMessage(Db& db, NewRowCounters& counters, const std::string& partner_id,
                     const std::string& booking_id, int64_t position, const domain::Message& m) {
  TRIPSIM_RETURN_IF_ERROR(InsertMessageRow(db, booking_id, position, m));
  TRIPSIM_ASSIGN_OR_RETURN(revised,
                           db.Prepare("UPDATE bookings SET revision = revision + 1 WHERE id = ?"));
  revised.Bind(1, booking_id);
  TRIPSIM_RETURN_IF_ERROR(revised.Run());
  NewRows n;
  n.Add(m);
  counters.Add(DayOf(m.created_at), partner_id, n);
  return CountSendTime(db, partner_id, m);
}

// A booking and its partner: what a webhook event is about, and for whom.
struct EventOwner {
  std::string_view partner_id;
  std::string_view booking_id;
};

// Records a webhook event for the booking's partner, when it has a webhook URL. Most partners
// have none: one point lookup then, not an INSERT ... SELECT, which opens a statement journal
// even when it inserts nothing (a twentieth of a booking's cost in the writer).
Status EnqueueWebhook(Db& db, EventOwner owner, std::string_view event, std::string_view subject_id,
                      int64_t now) {
  TRIPSIM_ASSIGN_OR_RETURN(hooked,
                           db.Prepare("SELECT 1 FROM partners WHERE id = ? AND webhook_url != ''"));
  hooked.Bind(1, owner.partner_id);
  const Stmt::StepResult found = hooked.Step();
  if (found == Stmt::kError) return hooked.Error();
  if (found == Stmt::kDone) return Status::Ok();
  TRIPSIM_ASSIGN_OR_RETURN(
      s, db.Prepare("INSERT INTO webhook_events (id, partner_id, event, booking_id, subject_id, "
                    "created_at, status, attempts, due_at, last_error) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'PENDING', 0, ?6, '')"));
  s.Bind(1, NewOrderedId("evt_"))
      .Bind(2, owner.partner_id)
      .Bind(3, event)
      .Bind(4, owner.booking_id)
      .Bind(5, subject_id)
      .Bind(6, now);
  return s.Run();
}

// The booking a message belongs to, and its partner.
struct MessageOwner {
  std::string partner_id;
  std::string booking_id;
  EventOwner event_owner() const { return {partner_id, booking_id}; }
};

Result<MessageOwner> OwnerOfMessage(Db& db, const std::string& message_id) {
  TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT b.partner_id, m.booking_id FROM messages m "
                                         "JOIN bookings b ON b.id = m.booking_id WHERE m.id = ?"));
  s.Bind(1, message_id);
  const Stmt::StepResult found = s.Step();
  if (found == Stmt::kError) return s.Error();
  if (found == Stmt::kDone) return NotFound("message not found");
  return MessageOwner{s.Text(0), s.Text(1)};
}

Status InsertBooking(Db& db, NewRowCounters& counters, const Booking& b) {
  const domain::BookingRequest& r = b.request;
  static const std::string kInsert = "INSERT INTO bookings (" + std::string(kBookingColumns) +
                                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare(kInsert));
  s.Bind(1, b.id).Bind(2, b.partner_id).Bind(3, r.booking_id);
  s.Bind(4,
         b.idempotency_key.empty() ? std::nullopt : std::optional<std::string>(b.idempotency_key));
  s.Bind(5, b.fingerprint).Bind(6, domain::BookingStatusName(b.status)).Bind(7, b.created_at);
  s.Bind(8, r.departure_date).Bind(9, static_cast<int64_t>(r.departure().days));
  s.Bind(10, r.return_date).Bind(11, r.email).Bind(12, r.first_name).Bind(13, r.last_name);
  s.Bind(14, r.full_name).Bind(15, r.title).Bind(16, r.phone).Bind(17, OptInt(r.pax));
  s.Bind(18, r.flight_number).Bind(19, r.gender).Bind(20, r.locale).Bind(21, r.external_id);
  s.Bind(22, r.should_send_message).Bind(23, JoinList(r.channels));
  s.Bind(24, EncodeSpecs(r.package_specifications));
  TRIPSIM_RETURN_IF_ERROR(s.Run());

  TRIPSIM_ASSIGN_OR_RETURN(
      pc, db.Prepare("INSERT INTO promo_codes (code, uuid, booking_id, position, spec_index, "
                     "package, destination, strategy, reason, status, claimed_at, redeemed_at, "
                     "valid_until) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  for (size_t i = 0; i < b.promo_codes.size(); ++i) {
    const domain::PromoCode& p = b.promo_codes[i];
    Stmt& q = pc;
    q.Bind(1, p.code).Bind(2, p.uuid).Bind(3, b.id).Bind(4, static_cast<int64_t>(i));
    q.Bind(5, p.spec_index);
    q.Bind(6, p.package ? std::optional<std::string>(EncodePackage(*p.package)) : std::nullopt);
    q.Bind(7, p.destination).Bind(8, p.assignment.strategy).Bind(9, p.assignment.reason);
    q.Bind(10, domain::PromoStatusName(p.status)).Bind(11, p.claimed_at).Bind(12, p.redeemed_at);
    q.Bind(13, static_cast<int64_t>(p.valid_until.days));
    TRIPSIM_RETURN_IF_ERROR(q.Run());
    q.Reset();
  }
  // The booking and its codes count on the booking's day, and so do its messages of that day
  // (usually all of them): one counter update for them all. A message of another day counts
  // on its own day, as one added later does.
  const int64_t day = DayOf(b.created_at);
  NewRows counted;
  counted.Add(b);
  for (const domain::PromoCode& p : b.promo_codes) counted.Add(p);
  for (size_t i = 0; i < b.messages.size(); ++i) {
    const domain::Message& m = b.messages[i];
    const auto position = static_cast<int64_t>(i);
    if (DayOf(m.created_at) != day) {
      TRIPSIM_RETURN_IF_ERROR(InsertMessage(db, counters, b.partner_id, b.id, position, m));
      continue;
    }
    TRIPSIM_RETURN_IF_ERROR(InsertMessageRow(db, b.id, position, m));
    TRIPSIM_RETURN_IF_ERROR(CountSendTime(db, b.partner_id, m));
    counted.Add(m);
  }
  counters.Add(day, b.partner_id, counted);
  return Status::Ok();
}

// Loads the promo codes and messages of `b`.
Status LoadChildren(Db& db, Booking& b) {
  static const std::string kCodes = "SELECT " + std::string(kPromoCodeColumns) +
                                    " FROM promo_codes WHERE booking_id = ? ORDER BY position";
  static const std::string kMessages = "SELECT " + std::string(kMessageColumns) +
                                       " FROM messages WHERE booking_id = ? ORDER BY position";
  TRIPSIM_ASSIGN_OR_RETURN(pc, db.Prepare(kCodes));
  pc.Bind(1, b.id);
  Stmt::StepResult r;
  while ((r = pc.Step()) == Stmt::kRow) {
    TRIPSIM_ASSIGN_OR_RETURN(code, ReadPromoCode(pc));
    b.promo_codes.push_back(std::move(code));
  }
  if (r == Stmt::kError) return pc.Error();
  TRIPSIM_ASSIGN_OR_RETURN(ms, db.Prepare(kMessages));
  ms.Bind(1, b.id);
  while ((r = ms.Step()) == Stmt::kRow) b.messages.push_back(ReadMessage(ms));
  return r == Stmt::kError ? ms.Error() : Status::Ok();
}

// The query of the bookings matching one condition, its text built once (a read looks its
// statement up in the connection's cache by that text), and what to answer when none does.
struct BookingQuery {
  explicit BookingQuery(std::string_view where, std::string_view if_none = "booking not found")
      : sql("SELECT " + std::string(kBookingColumns) + " FROM bookings WHERE " +
            std::string(where)),
        missing(if_none) {}
  const std::string sql;
  const std::string missing;
};

const BookingQuery kBookingOfPartner("id = ? AND partner_id = ?");
const BookingQuery kBookingByReference("partner_id = ? AND booking_ref = ?");
const BookingQuery kBookingByKey("partner_id = ? AND idempotency_key = ?");
const BookingQuery kBookingOfClaim("id = (SELECT booking_id FROM promo_codes WHERE uuid = ?)",
                                   "promo code not found");
const BookingQuery kBookingOfCode("id = (SELECT booking_id FROM promo_codes WHERE code = ?)",
                                  "promo code not found");
const BookingQuery kBookingById("id = ?");

// The first booking of `query` (with parameters bound by `bind`), with its children.
template <typename Bind>
Result<Booking> QueryBooking(Db& db, const BookingQuery& query, Bind bind) {
  TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare(query.sql));
  bind(s);
  Stmt::StepResult r = s.Step();
  if (r == Stmt::kError) return s.Error();
  if (r == Stmt::kDone) return NotFound(query.missing);
  TRIPSIM_ASSIGN_OR_RETURN(b, ReadBooking(s));
  TRIPSIM_RETURN_IF_ERROR(LoadChildren(db, b));
  return b;
}

// Adds ?3 failed attempts for `reason` to the counters of day ?1 and partner ?2.
std::string CountFailedAttemptsSql(domain::FailureReason reason) {
  const std::string column = "failed_" + std::string(domain::FailureReasonName(reason));
  return "INSERT INTO daily_stats (day, partner_id, " + column +
         ") VALUES (?1, ?2, ?3) ON CONFLICT (day, partner_id) DO UPDATE SET " + column + " = " +
         column + " + ?3";
}

Status Migrate(Db& db) {
  TRIPSIM_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Status s = db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  int current = 0;
  if (s.ok()) {
    auto q = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (q.ok() && q->Step() == Stmt::kRow) current = static_cast<int>(q->Int(0));
  }
  for (const Migration& m : Migrations()) {
    if (!s.ok() || m.version <= current) continue;
    s = db.Exec(std::string(m.sqlite));
    if (s.ok()) {
      auto ins = db.Prepare(
          "INSERT INTO schema_migrations (version, description, applied_at) "
          "VALUES (?, ?, strftime('%s','now'))");
      s = ins.ok() ? ins->Bind(1, m.version).Bind(2, m.description).Run() : ins.status();
    }
  }
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return db.Exec("COMMIT");
}

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, Db writer, size_t max_batch, std::unique_ptr<CommitWatch> commits)
      : path_(std::move(path)),
        checkpointer_(path_),
        writer_(Watched(std::move(writer)), max_batch, &counters_),
        commits_(std::move(commits)) {}

  Status CreatePartner(const Partner& p) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(s,
                               db.Prepare("INSERT INTO partners (" + std::string(kPartnerColumns) +
                                          ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      BindPartner(s, p);
      Status st = s.Run();
      if (!st.ok() && s.ConstraintViolated()) {
        return {ErrorCode::kAlreadyExists, "partner id or api key already exists"};
      }
      return st;
    });
  }

  Status UpdatePartner(const Partner& p) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("UPDATE partners SET name=?2, api_key=?3, secret_sealed=?4, enabled=?5, "
                        "strategy_json=?6, allow_list=?7, package_types=?8, require_body_hash=?9, "
                        "webhook_url=?10, webhook_secret_sealed=?11, email_from=?12, "
                        "email_reply_to=?13, display_name=?14, reminder_days=?15, rate_limit=?16, "
                        "created_at=?17, previous_secret_sealed=?18, previous_secret_until=?19, "
                        "daily_booking_limit=?20 WHERE id=?1"));
      BindPartner(s, p);
      TRIPSIM_RETURN_IF_ERROR(s.Run());
      if (sqlite3_changes(db.raw()) == 0) return NotFound("unknown partner " + p.id);
      return Status::Ok();
    });
  }

  Result<Partner> GetPartner(const std::string& id) override { return QueryPartner("id = ?", id); }

  Result<Partner> FindPartnerByApiKey(const std::string& key) override {
    return QueryPartner("api_key = ?", key);
  }

  Result<std::vector<Partner>> ListPartners() override {
    return Read<std::vector<Partner>>([&](Db& db) -> Result<std::vector<Partner>> {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT " + std::string(kPartnerColumns) +
                                             " FROM partners ORDER BY created_at, id"));
      std::vector<Partner> out;
      Stmt::StepResult r;
      while ((r = s.Step()) == Stmt::kRow) out.push_back(ReadPartner(s));
      if (r == Stmt::kError) return s.Error();
      return out;
    });
  }

  Status UpsertPackages(const std::vector<domain::Package>& packages,
                        bool retire_missing) override {
    return writer_.Submit([&](Db& db) -> Status {
      if (retire_missing) {
        TRIPSIM_RETURN_IF_ERROR(
            db.Exec("UPDATE packages SET doc = json_set(doc, '$.retired', json('true'))"));
      }
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("INSERT INTO packages (id, doc) VALUES (?, ?) "
                                             "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc"));
      for (const auto& p : packages) {
        s.Bind(1, p.id).Bind(2, EncodePackage(p));
        TRIPSIM_RETURN_IF_ERROR(s.Run());
        s.Reset();
      }
      return db.Run("UPDATE catalog_version SET version = version + 1");
    });
  }

  Result<int64_t> CatalogVersion() override {
    return Read<int64_t>([&](Db& db) -> Result<int64_t> {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT version FROM catalog_version"));
      if (s.Step() != Stmt::kRow) return s.Error();
      return s.Int(0);
    });
  }

  Result<std::vector<domain::Package>> ListPackages() override {
    return Read<std::vector<domain::Package>>([&](Db& db) -> Result<std::vector<domain::Package>> {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT doc FROM packages ORDER BY id"));
      std::vector<domain::Package> out;
      Stmt::StepResult r;
      while ((r = s.Step()) == Stmt::kRow) {
        TRIPSIM_ASSIGN_OR_RETURN(p, DecodePackage(s.Text(0)));
        out.push_back(std::move(p));
      }
      if (r == Stmt::kError) return s.Error();
      return out;
    });
  }

  Result<CreateResult> CreateBooking(const Booking& b) override {
    auto out = std::make_shared<CreateResult>();
    TRIPSIM_RETURN_IF_ERROR(writer_.Submit(CreateBookingJob(counters_, b, out)));
    if (out->created) out->booking = b;
    return std::move(*out);
  }

  void CreateBookingAsync(Booking b, std::function<void(Result<CreateResult>)> done) override {
    auto out = std::make_shared<CreateResult>();
    auto booking = std::make_shared<Booking>(std::move(b));
    writer_.SubmitAsync(CreateBookingJob(counters_, *booking, out),
                        [booking, out, done = std::move(done)](Status s) {
                          if (!s.ok()) return done(std::move(s));
                          if (out->created) out->booking = std::move(*booking);
                          done(std::move(*out));
                        });
  }

  bool LocalReads() const override { return true; }

  Result<Booking> GetBooking(const std::string& partner_id, const std::string& id) override {
    return Read<Booking>([&](Db& db) {
      return QueryBooking(db, kBookingOfPartner,
                          [&](Stmt& s) { s.Bind(1, id).Bind(2, partner_id); });
    });
  }

  Result<CheckedBooking> GetBookingIfChanged(const std::string& partner_id, const std::string& id,
                                             std::optional<int64_t> known_revision) override {
    return Read<CheckedBooking>([&](Db& db) -> Result<CheckedBooking> {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("SELECT revision FROM bookings WHERE id = ? AND partner_id = ?"));
      s.Bind(1, id).Bind(2, partner_id);
      const Stmt::StepResult r = s.Step();
      if (r == Stmt::kError) return s.Error();
      if (r == Stmt::kDone) return NotFound("booking not found");
      CheckedBooking checked{s.Int(0), std::nullopt};
      if (checked.revision == known_revision) return checked;
      TRIPSIM_ASSIGN_OR_RETURN(b, QueryBooking(db, kBookingOfPartner, [&](Stmt& q) {
                                 q.Bind(1, id).Bind(2, partner_id);
                               }));
      checked.booking = std::move(b);
      return checked;
    });
  }

  std::optional<uint64_t> CommitMark() const override {
    return commits_ ? commits_->Mark() : std::nullopt;
  }

  Result<Booking> FindBookingByReference(const std::string& partner_id,
                                         const std::string& booking_id) override {
    return Read<Booking>([&](Db& db) {
      return QueryBooking(db, kBookingByReference,
                          [&](Stmt& s) { s.Bind(1, partner_id).Bind(2, booking_id); });
    });
  }

  Result<Booking> FindBookingByIdempotencyKey(const std::string& partner_id,
                                              const std::string& key) override {
    return Read<Booking>([&](Db& db) {
      return QueryBooking(db, kBookingByKey, [&](Stmt& s) { s.Bind(1, partner_id).Bind(2, key); });
    });
  }

  Result<BookingPage> ListBookings(const std::string& partner_id, const BookingFilter& f) override {
    return Read<BookingPage>([&](Db& db) -> Result<BookingPage> {
      std::string where = "partner_id = ?1";
      if (f.status) where += " AND status = ?2";
      if (f.created_from) where += " AND created_at >= ?3";
      if (f.created_to) where += " AND created_at < ?4";
      auto bind = [&](Stmt& s) {
        s.Bind(1, partner_id);
        if (f.status) s.Bind(2, domain::BookingStatusName(*f.status));
        if (f.created_from) s.Bind(3, MillisOfDate(*f.created_from));
        if (f.created_to) s.Bind(4, CreatedBefore(*f.created_to));
      };
      TRIPSIM_ASSIGN_OR_RETURN(count, db.Prepare(CountBookingsSql(f, "?")));
      int n = 0;
      count.Bind(++n, partner_id);
      if (f.created_from) count.Bind(++n, static_cast<int64_t>(f.created_from->days));
      if (f.created_to) count.Bind(++n, static_cast<int64_t>(f.created_to->days));
      if (count.Step() != Stmt::kRow) return count.Error();
      BookingPage page;
      page.total = count.Int(0);
      // Past the last page (or a status no booking has): nothing to look for.
      if (static_cast<int64_t>(Offset(f)) >= page.total) return page;
      // The rows skipped to reach a page are walked in the index alone; only the page's own
      // are read from the table.
      const std::string order = " ORDER BY created_at DESC, rowid DESC";
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("SELECT " + std::string(kBookingColumns) +
                        " FROM bookings WHERE rowid IN (SELECT rowid FROM bookings WHERE " + where +
                        order + " LIMIT ?5 OFFSET ?6)" + order));
      bind(s);
      s.Bind(5, static_cast<int64_t>(f.per_page)).Bind(6, static_cast<int64_t>(Offset(f)));
      Stmt::StepResult r;
      while ((r = s.Step()) == Stmt::kRow) {
        TRIPSIM_ASSIGN_OR_RETURN(b, ReadBooking(s));
        page.bookings.push_back(std::move(b));
      }
      if (r == Stmt::kError) return s.Error();
      for (Booking& b : page.bookings) TRIPSIM_RETURN_IF_ERROR(LoadChildren(db, b));
      return page;
    });
  }

  Result<Booking> CancelBooking(const std::string& partner_id, const std::string& id,
                                const CancelRule& rule) override {
    Booking out;
    Status st = writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(b, QueryBooking(db, kBookingOfPartner, [&](Stmt& s) {
                                 s.Bind(1, id).Bind(2, partner_id);
                               }));
      TRIPSIM_RETURN_IF_ERROR(rule(b));
      if (b.status != domain::BookingStatus::kCancelled) {
        TRIPSIM_RETURN_IF_ERROR(EnqueueWebhook(db, {b.partner_id, b.id}, "booking.cancelled", "",
                                               SystemClock().NowMillis()));
      }
      ApplyCancel(b);
      TRIPSIM_ASSIGN_OR_RETURN(u,
                               db.Prepare("UPDATE bookings SET status = 'CANCELLED' WHERE id = ?"));
      TRIPSIM_RETURN_IF_ERROR(u.Bind(1, id).Run());
      TRIPSIM_ASSIGN_OR_RETURN(
          c, db.Prepare("UPDATE promo_codes SET status = 'REVOKED' WHERE booking_id = ? "
                        "AND status IN ('ISSUED', 'CLAIMED')"));
      TRIPSIM_RETURN_IF_ERROR(c.Bind(1, id).Run());
      TRIPSIM_ASSIGN_OR_RETURN(
          m, db.Prepare("UPDATE messages SET status = 'CANCELLED' WHERE booking_id = ? "
                        "AND status = 'PENDING'"));
      TRIPSIM_RETURN_IF_ERROR(m.Bind(1, id).Run());
      out = std::move(b);
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  Status AddMessage(const std::string& booking_id, const domain::Message& message) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          pos, db.Prepare("SELECT COUNT(*), b.partner_id FROM bookings b LEFT JOIN messages m "
                          "ON m.booking_id = b.id WHERE b.id = ? GROUP BY b.id"));
      pos.Bind(1, booking_id);
      Stmt::StepResult r = pos.Step();
      if (r == Stmt::kError) return pos.Error();
      if (r == Stmt::kDone) return NotFound("booking not found");
      return InsertMessage(db, counters_, pos.Text(1), booking_id, pos.Int(0), message);
    });
  }

  Result<Booking> FindBookingByPromoUuid(const std::string& uuid) override {
    return Read<Booking>([&](Db& db) {
      return QueryBooking(db, kBookingOfClaim, [&](Stmt& s) { s.Bind(1, uuid); });
    });
  }

  Result<Booking> ClaimPromoCode(
      const std::string& uuid, int64_t now, const domain::Message& message,
      const std::function<Status(const Booking&, const domain::PromoCode&)>& rule) override {
    Booking out;
    Status st = writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          b, QueryBooking(db, kBookingOfClaim, [&](Stmt& s) { s.Bind(1, uuid); }));
      auto code = std::find_if(b.promo_codes.begin(), b.promo_codes.end(),
                               [&](const domain::PromoCode& p) { return p.uuid == uuid; });
      TRIPSIM_RETURN_IF_ERROR(rule(b, *code));
      TRIPSIM_ASSIGN_OR_RETURN(
          u,
          db.Prepare("UPDATE promo_codes SET status = 'CLAIMED', claimed_at = ? WHERE uuid = ?"));
      TRIPSIM_RETURN_IF_ERROR(u.Bind(1, now).Bind(2, uuid).Run());
      TRIPSIM_RETURN_IF_ERROR(InsertMessage(db, counters_, b.partner_id, b.id,
                                            static_cast<int64_t>(b.messages.size()), message));
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
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("INSERT INTO esim_profiles (iccid, smdp_address, matching_id, "
                        "confirmation_code, provider, test_profile, imported_at) "
                        "VALUES (?,?,?,?,?,?,?)"));
      int64_t order = now * 1000;  // keeps the file's order among profiles of one import
      for (const auto& p : profiles) {
        s.Bind(1, p.iccid).Bind(2, p.smdp_address).Bind(3, p.matching_id);
        s.Bind(4, p.confirmation_code).Bind(5, p.provider).Bind(6, p.test_profile);
        s.Bind(7, order++);
        Status st = s.Run();
        if (!st.ok() && s.ConstraintViolated()) {
          return {ErrorCode::kAlreadyExists, "ICCID " + p.iccid + " is already in the inventory"};
        }
        TRIPSIM_RETURN_IF_ERROR(st);
        s.Reset();
      }
      return Status::Ok();
    });
  }

  Result<std::vector<ProviderStock>> InventoryStatus() override {
    return Read<std::vector<ProviderStock>>([](Db& db) -> Result<std::vector<ProviderStock>> {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("SELECT provider, SUM(promo_code IS NULL), SUM(promo_code IS NOT NULL) "
                        "FROM esim_profiles GROUP BY provider ORDER BY provider"));
      std::vector<ProviderStock> out;
      Stmt::StepResult r;
      while ((r = s.Step()) == Stmt::kRow) out.push_back({s.Text(0), s.Int(1), s.Int(2)});
      if (r == Stmt::kError) return s.Error();
      return out;
    });
  }

  Result<Redemption> FindRedemption(const std::string& code) override {
    return Read<Redemption>([&](Db& db) -> Result<Redemption> {
      TRIPSIM_ASSIGN_OR_RETURN(b,
                               QueryBooking(db, kBookingOfCode, [&](Stmt& q) { q.Bind(1, code); }));
      TRIPSIM_ASSIGN_OR_RETURN(held, db.Prepare("SELECT " + std::string(kProfileColumns) +
                                                " FROM esim_profiles WHERE promo_code = ?"));
      held.Bind(1, code);
      Redemption r{std::move(b), {}, false};
      if (held.Step() == Stmt::kRow) r.profile = ReadProfile(held);
      return r;
    });
  }

  Result<Redemption> RedeemPromoCode(const std::string& code, int64_t now,
                                     const std::optional<domain::EsimProfile>& synthetic,
                                     const PromoRule& rule,
                                     const std::optional<domain::PromoCode>& assign) override {
    Redemption out;
    Status st = writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(b,
                               QueryBooking(db, kBookingOfCode, [&](Stmt& q) { q.Bind(1, code); }));
      auto pc = std::find_if(b.promo_codes.begin(), b.promo_codes.end(),
                             [&](const domain::PromoCode& p) { return p.code == code; });
      const std::string profiles =
          "SELECT " + std::string(kProfileColumns) + " FROM esim_profiles ";
      TRIPSIM_ASSIGN_OR_RETURN(held, db.Prepare(profiles + "WHERE promo_code = ?"));
      held.Bind(1, code);
      if (held.Step() == Stmt::kRow) {
        out = {b, ReadProfile(held), false};
        return Status::Ok();
      }
      if (assign && assign->package && !pc->package) {
        TRIPSIM_ASSIGN_OR_RETURN(
            set, db.Prepare("UPDATE promo_codes SET package = ?, destination = ?, strategy = ?, "
                            "reason = ? WHERE code = ?"));
        set.Bind(1, EncodePackage(*assign->package)).Bind(2, assign->destination);
        set.Bind(3, assign->assignment.strategy).Bind(4, assign->assignment.reason).Bind(5, code);
        TRIPSIM_RETURN_IF_ERROR(set.Run());
        pc->package = assign->package;
        pc->destination = assign->destination;
        pc->assignment = assign->assignment;
      }
      TRIPSIM_RETURN_IF_ERROR(rule(b, *pc));
      const std::string provider = pc->package ? pc->package->provider : "";
      TRIPSIM_ASSIGN_OR_RETURN(
          free,
          db.Prepare(profiles +
                     "WHERE provider = ? AND promo_code IS NULL ORDER BY imported_at LIMIT 1"));
      free.Bind(1, provider);
      domain::EsimProfile profile;
      Stmt::StepResult r = free.Step();
      if (r == Stmt::kError) return free.Error();
      if (r == Stmt::kRow) {
        profile = ReadProfile(free);
      } else if (synthetic) {
        profile = *synthetic;
        TRIPSIM_ASSIGN_OR_RETURN(
            ins, db.Prepare("INSERT INTO esim_profiles (iccid, smdp_address, matching_id, "
                            "confirmation_code, provider, test_profile, imported_at) "
                            "VALUES (?,?,?,?,?,?,?)"));
        ins.Bind(1, profile.iccid).Bind(2, profile.smdp_address).Bind(3, profile.matching_id);
        ins.Bind(4, profile.confirmation_code).Bind(5, profile.provider).Bind(6, true);
        TRIPSIM_RETURN_IF_ERROR(ins.Bind(7, now * 1000).Run());
      } else {
        return Status(ErrorCode::kResourceExhausted, "no eSIM in stock for " + provider);
      }
      TRIPSIM_ASSIGN_OR_RETURN(
          hand_out, db.Prepare("UPDATE esim_profiles SET promo_code = ?, assigned_at = ? "
                               "WHERE iccid = ? AND promo_code IS NULL"));
      TRIPSIM_RETURN_IF_ERROR(hand_out.Bind(1, code).Bind(2, now).Bind(3, profile.iccid).Run());
      TRIPSIM_ASSIGN_OR_RETURN(
          redeem, db.Prepare("UPDATE promo_codes SET status = 'REDEEMED', redeemed_at = ? "
                             "WHERE code = ?"));
      TRIPSIM_RETURN_IF_ERROR(redeem.Bind(1, now).Bind(2, code).Run());
      pc->status = domain::PromoStatus::kRedeemed;
      pc->redeemed_at = now;
      bool all = std::all_of(b.promo_codes.begin(), b.promo_codes.end(), [](const auto& c) {
        return c.status == domain::PromoStatus::kRedeemed ||
               c.status == domain::PromoStatus::kRevoked;
      });
      if (all) {
        b.status = domain::BookingStatus::kCompleted;
        TRIPSIM_ASSIGN_OR_RETURN(
            done, db.Prepare("UPDATE bookings SET status = 'COMPLETED' WHERE id = ?"));
        TRIPSIM_RETURN_IF_ERROR(done.Bind(1, b.id).Run());
      }
      TRIPSIM_RETURN_IF_ERROR(
          EnqueueWebhook(db, {b.partner_id, b.id}, "promo_code.redeemed", code, now));
      out = {std::move(b), profile, true};
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  Result<std::vector<OutboxItem>> ClaimDueMessages(int64_t now, int64_t lease_until,
                                                   int limit) override {
    std::vector<std::pair<std::string, std::string>> claimed;  // (message id, booking id)
    Status st = writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("UPDATE messages SET lease_until = ?1, attempts = attempts + 1 "
                        "WHERE id IN (SELECT id FROM messages WHERE status = 'PENDING' "
                        "AND due_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2) "
                        "ORDER BY due_at LIMIT ?3) RETURNING id, booking_id"));
      s.Bind(1, lease_until).Bind(2, now).Bind(3, static_cast<int64_t>(limit));
      Stmt::StepResult r;
      while ((r = s.Step()) == Stmt::kRow) claimed.emplace_back(s.Text(0), s.Text(1));
      return r == Stmt::kError ? s.Error() : Status::Ok();
    });
    if (!st.ok()) return st;
    std::vector<OutboxItem> out;
    for (const auto& claim : claimed) {
      const std::string& booking_id = claim.second;
      TRIPSIM_ASSIGN_OR_RETURN(b, Read<Booking>([&](Db& db) {
                                 return QueryBooking(db, kBookingById,
                                                     [&](Stmt& q) { q.Bind(1, booking_id); });
                               }));
      for (const auto& m : b.messages) {
        if (m.id == claim.first) out.push_back({m, b});
      }
    }
    return out;
  }

  Status MarkMessageSent(const std::string& message_id, int64_t sent_at) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("UPDATE messages SET status = 'SENT', sent_at = ?, lease_until = NULL, "
                        "last_error = '' WHERE id = ?"));
      TRIPSIM_RETURN_IF_ERROR(s.Bind(1, sent_at).Bind(2, message_id).Run());
      TRIPSIM_ASSIGN_OR_RETURN(owner, OwnerOfMessage(db, message_id));
      return EnqueueWebhook(db, owner.event_owner(), "message.sent", message_id, sent_at);
    });
  }

  Status MarkMessageFailed(const std::string& message_id, const std::string& error,
                           std::optional<int64_t> retry_at) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare(retry_at ? "UPDATE messages SET due_at = ?1, last_error = ?2, "
                                   "lease_until = NULL WHERE id = ?3"
                                 : "UPDATE messages SET status = 'FAILED', last_error = ?2, "
                                   "lease_until = NULL WHERE id = ?3"));
      if (retry_at) s.Bind(1, *retry_at);
      TRIPSIM_RETURN_IF_ERROR(s.Bind(2, error).Bind(3, message_id).Run());
      if (retry_at) return Status::Ok();
      TRIPSIM_ASSIGN_OR_RETURN(owner, OwnerOfMessage(db, message_id));
      return EnqueueWebhook(db, owner.event_owner(), "message.failed", message_id,
                            SystemClock().NowMillis());
    });
  }

  Result<std::vector<WebhookEvent>> ClaimDueWebhooks(int64_t now, int64_t lease_until,
                                                     int limit) override {
    std::vector<WebhookEvent> out;
    Status st = writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("UPDATE webhook_events SET lease_until = ?1, attempts = attempts + 1 "
                        "WHERE id IN (SELECT id FROM webhook_events WHERE status = 'PENDING' "
                        "AND due_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2) "
                        "ORDER BY due_at LIMIT ?3) RETURNING " +
                        std::string(kWebhookColumns)));
      s.Bind(1, lease_until).Bind(2, now).Bind(3, static_cast<int64_t>(limit));
      Stmt::StepResult r;
      while ((r = s.Step()) == Stmt::kRow) out.push_back(ReadWebhook(s));
      return r == Stmt::kError ? s.Error() : Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  Status MarkWebhookDelivered(const std::string& event_id, int64_t) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("UPDATE webhook_events SET status = 'DELIVERED', lease_until = NULL, "
                        "last_error = '' WHERE id = ?"));
      return s.Bind(1, event_id).Run();
    });
  }

  Status MarkWebhookFailed(const std::string& event_id, const std::string& error,
                           std::optional<int64_t> retry_at) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare(retry_at ? "UPDATE webhook_events SET due_at = ?1, last_error = ?2, "
                                   "lease_until = NULL WHERE id = ?3"
                                 : "UPDATE webhook_events SET status = 'DEAD', last_error = ?2, "
                                   "lease_until = NULL WHERE id = ?3"));
      if (retry_at) s.Bind(1, *retry_at);
      return s.Bind(2, error).Bind(3, event_id).Run();
    });
  }

  Status RequeueWebhook(const std::string& event_id, int64_t now) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("UPDATE webhook_events SET status = 'PENDING', due_at = ?, "
                        "lease_until = NULL WHERE id = ?"));
      TRIPSIM_RETURN_IF_ERROR(s.Bind(1, now).Bind(2, event_id).Run());
      if (sqlite3_changes(db.raw()) == 0) return NotFound("unknown webhook event " + event_id);
      return Status::Ok();
    });
  }

  Result<std::vector<FailedMessage>> ListFailedMessages(
      const std::optional<std::string>& partner_id, int limit) override {
    return Read<std::vector<FailedMessage>>([&](Db& db) -> Result<std::vector<FailedMessage>> {
      TRIPSIM_ASSIGN_OR_RETURN(
          s, db.Prepare("SELECT m.id, m.booking_id, b.partner_id, m.recipient, m.attempts, "
                        "m.created_at, m.last_error FROM messages m JOIN bookings b "
                        "ON b.id = m.booking_id WHERE m.status = 'FAILED' "
                        "AND (?1 IS NULL OR b.partner_id = ?1) "
                        "ORDER BY m.created_at DESC, m.rowid DESC LIMIT ?2"));
      if (partner_id) s.Bind(1, *partner_id);
      s.Bind(2, static_cast<int64_t>(limit));
      std::vector<FailedMessage> out;
      Stmt::StepResult r;
      while ((r = s.Step()) == Stmt::kRow) {
        out.push_back({s.Text(0), s.Text(1), s.Text(2), s.Text(3), static_cast<int>(s.Int(4)),
                       s.Int(5), s.Text(6)});
      }
      if (r == Stmt::kError) return s.Error();
      return out;
    });
  }

  Result<std::vector<WebhookEvent>> ListWebhookEvents(const std::string& partner_id,
                                                      int limit) override {
    return Read<std::vector<WebhookEvent>>([&](Db& db) -> Result<std::vector<WebhookEvent>> {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT " + std::string(kWebhookColumns) +
                                             " FROM webhook_events WHERE partner_id = ? "
                                             "ORDER BY created_at DESC, rowid DESC LIMIT ?"));
      s.Bind(1, partner_id).Bind(2, static_cast<int64_t>(limit));
      std::vector<WebhookEvent> out;
      Stmt::StepResult r;
      while ((r = s.Step()) == Stmt::kRow) out.push_back(ReadWebhook(s));
      if (r == Stmt::kError) return s.Error();
      return out;
    });
  }

  Status ExpireIdempotencyKeys(int64_t before_millis) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(s,
                               db.Prepare("UPDATE bookings SET idempotency_key = NULL "
                                          "WHERE idempotency_key IS NOT NULL AND created_at < ?"));
      return s.Bind(1, before_millis).Run();
    });
  }

  Status RecordFailedAttempts(const std::vector<FailedAttempt>& attempts) override {
    return writer_.Submit([&](Db& db) -> Status {
      for (const FailedAttempt& a : attempts) {
        TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare(CountFailedAttemptsSql(a.reason)));
        s.Bind(1, static_cast<int64_t>(DateOfMillis(a.at).days)).Bind(2, a.partner_id);
        TRIPSIM_RETURN_IF_ERROR(s.Bind(3, a.count).Run());
      }
      return Status::Ok();
    });
  }

  Result<StatsData> QueryStats(Date from, Date to,
                               const std::optional<std::string>& partner_id) override {
    return Read<StatsData>([&](Db& db) -> Result<StatsData> {
      const std::string where =
          std::string(" WHERE day BETWEEN ?1 AND ?2") + (partner_id ? " AND partner_id = ?3" : "");
      auto bind = [&](Stmt& s) {
        s.Bind(1, static_cast<int64_t>(from.days)).Bind(2, static_cast<int64_t>(to.days));
        if (partner_id) s.Bind(3, *partner_id);
      };
      StatsData out;
      TRIPSIM_ASSIGN_OR_RETURN(
          rows, db.Prepare("SELECT day, partner_id, accepted, failed_validation, "
                           "failed_authentication, failed_no_package, failed_conflict, "
                           "failed_rate_limited, failed_internal, messages_pending, "
                           "messages_sent, messages_failed, messages_cancelled, codes_issued, "
                           "codes_redeemed, codes_revoked FROM daily_stats" +
                           where + " ORDER BY day, partner_id"));
      bind(rows);
      Stmt::StepResult r;
      while ((r = rows.Step()) == Stmt::kRow) {
        StatsRow row{Date{static_cast<int32_t>(rows.Int(0))}, rows.Text(1), {}};
        domain::DayCounters& c = row.counters;
        c.accepted = rows.Int(2);
        for (size_t i = 0; i < c.failed.size(); ++i)
          c.failed[i] = rows.Int(3 + static_cast<int>(i));
        c.messages_pending = rows.Int(9);
        c.messages_sent = rows.Int(10);
        c.messages_failed = rows.Int(11);
        c.messages_cancelled = rows.Int(12);
        c.codes_issued = rows.Int(13);
        c.codes_redeemed = rows.Int(14);
        c.codes_revoked = rows.Int(15);
        out.rows.push_back(std::move(row));
      }
      if (r == Stmt::kError) return rows.Error();
      TRIPSIM_ASSIGN_OR_RETURN(
          times, db.Prepare("SELECT day, partner_id, steps, n FROM send_times" + where +
                            " ORDER BY day, partner_id, steps"));
      bind(times);
      while ((r = times.Step()) == Stmt::kRow) {
        out.send_times.push_back(
            {Date{static_cast<int32_t>(times.Int(0))}, times.Text(1), times.Int(2), times.Int(3)});
      }
      if (r == Stmt::kError) return times.Error();
      return out;
    });
  }

  Status CreateAccessToken(const AccessToken& t) override {
    return writer_.Submit([&](Db& db) -> Status {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("INSERT INTO access_tokens (token_hash, partner_id, "
                                             "created_at) VALUES (?, ?, ?)"));
      return s.Bind(1, t.token_hash).Bind(2, t.partner_id).Bind(3, t.created_at).Run();
    });
  }

  Result<AccessToken> FindAccessToken(const std::string& token_hash) override {
    return Read<AccessToken>([&](Db& db) -> Result<AccessToken> {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT token_hash, partner_id, created_at FROM "
                                             "access_tokens WHERE token_hash = ?"));
      s.Bind(1, token_hash);
      Stmt::StepResult r = s.Step();
      if (r == Stmt::kError) return s.Error();
      if (r == Stmt::kDone) return NotFound("unknown token");
      return AccessToken{s.Text(0), s.Text(1), s.Int(2)};
    });
  }

  Result<Usage> QueryUsage(int64_t from_millis, int64_t to_millis,
                           const std::optional<std::string>& partner_id) override {
    return Read<Usage>([&](Db& db) -> Result<Usage> {
      const std::string where = std::string(" WHERE b.created_at >= ?1 AND b.created_at < ?2") +
                                (partner_id ? " AND b.partner_id = ?3" : "");
      auto bind = [&](Stmt& s) {
        s.Bind(1, from_millis).Bind(2, to_millis);
        if (partner_id) s.Bind(3, *partner_id);
      };
      Usage out;
      TRIPSIM_ASSIGN_OR_RETURN(
          counts, db.Prepare("SELECT b.partner_id, COUNT(*), SUM(b.status = 'CANCELLED') "
                             "FROM bookings b" +
                             where + " GROUP BY b.partner_id ORDER BY b.partner_id"));
      bind(counts);
      Stmt::StepResult r;
      while ((r = counts.Step()) == Stmt::kRow) {
        out.bookings.emplace_back(counts.Text(0), counts.Int(1));
        out.cancelled.emplace_back(counts.Text(0), counts.Int(2));
      }
      if (r == Stmt::kError) return counts.Error();
      TRIPSIM_ASSIGN_OR_RETURN(
          codes, db.Prepare("SELECT b.partner_id, p.package, COUNT(*), "
                            "SUM(p.status = 'REDEEMED') FROM promo_codes p "
                            "JOIN bookings b ON b.id = p.booking_id" +
                            where +
                            " AND p.status != 'REVOKED' GROUP BY b.partner_id, p.package "
                            "ORDER BY b.partner_id, p.package"));
      bind(codes);
      while ((r = codes.Step()) == Stmt::kRow) {
        UsageRow row{codes.Text(0), std::nullopt, codes.Int(2), codes.Int(3)};
        if (auto doc = codes.OptText(1)) {
          TRIPSIM_ASSIGN_OR_RETURN(pkg, DecodePackage(*doc));
          row.package = std::move(pkg);
        }
        out.packages.push_back(std::move(row));
      }
      if (r == Stmt::kError) return codes.Error();
      return out;
    });
  }

  Result<int64_t> EraseTraveller(const std::string& email) override {
    return Erase("lower(email) = lower(?1)", [&](Stmt& s) { s.Bind(1, email); });
  }

  Result<int64_t> EraseTripsEndedBefore(Date day) override {
    return Erase("COALESCE(return_date, departure_date) < ?1",
                 [&](Stmt& s) { s.Bind(1, FormatDate(day)); });
  }

  Result<int64_t> BookingsOnDay(const std::string& partner_id, Date day) override {
    return Read<int64_t>([&](Db& db) -> Result<int64_t> {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT accepted FROM daily_stats WHERE day = ? "
                                             "AND partner_id = ?"));
      s.Bind(1, static_cast<int64_t>(day.days)).Bind(2, partner_id);
      Stmt::StepResult r = s.Step();
      if (r == Stmt::kError) return s.Error();
      return r == Stmt::kRow ? s.Int(0) : int64_t{0};
    });
  }

  Result<OutboxDepth> QueueDepth(int64_t now) override {
    return Read<OutboxDepth>([&](Db& db) -> Result<OutboxDepth> {
      OutboxDepth out;
      for (const char* table : {"messages", "webhook_events"}) {
        TRIPSIM_ASSIGN_OR_RETURN(
            s, db.Prepare(std::string("SELECT COUNT(*), MIN(due_at) FROM ") + table +
                          " WHERE status = 'PENDING' AND due_at <= ?"));
        s.Bind(1, now);
        if (s.Step() != Stmt::kRow) return s.Error();
        const bool messages = std::string_view(table) == "messages";
        (messages ? out.messages : out.webhooks) = s.Int(0);
        (messages ? out.oldest_message_due_at : out.oldest_webhook_due_at) = s.OptInt(1);
      }
      return out;
    });
  }

  Status Ping() override {
    Result<int> r = Read<int>([](Db& db) -> Result<int> {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT 1"));
      if (s.Step() != Stmt::kRow) return s.Error();
      return 1;
    });
    return r.status();
  }

 private:
  // Writes `b` unless the partner has a booking with its booking_id (or idempotency key), and
  // leaves the outcome in `out`: the existing booking, or created = true (the caller has `b`).
  // REQUIRES: `b` outlives the job.
  static GroupCommitWriter::Job CreateBookingJob(NewRowCounters& counters, const Booking& b,
                                                 std::shared_ptr<CreateResult> out) {
    return [&counters, &b, out = std::move(out)](Db& db) -> Status {
      // Inside the writer, earlier jobs of the batch are visible: a duplicate finds its twin.
      Result<Booking> existing = NotFound("");
      if (b.request.booking_id) {
        existing = QueryBooking(db, kBookingByReference, [&](Stmt& s) {
          s.Bind(1, b.partner_id).Bind(2, *b.request.booking_id);
        });
      } else if (!b.idempotency_key.empty()) {
        existing = QueryBooking(db, kBookingByKey, [&](Stmt& s) {
          s.Bind(1, b.partner_id).Bind(2, b.idempotency_key);
        });
      }
      if (existing.ok()) {
        *out = {std::move(existing).value(), false};
        return Status::Ok();
      }
      if (existing.status().code() != ErrorCode::kNotFound) return existing.status();
      TRIPSIM_RETURN_IF_ERROR(InsertBooking(db, counters, b));
      TRIPSIM_RETURN_IF_ERROR(
          EnqueueWebhook(db, {b.partner_id, b.id}, "booking.created", "", b.created_at));
      out->created = true;
      return Status::Ok();
    };
  }

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

  // Erases the personal fields of the bookings matching `where` (and not erased yet).
  template <typename Bind>
  Result<int64_t> Erase(const std::string& where, Bind bind) {
    int64_t erased = 0;
    Status st = writer_.Submit([&](Db& db) -> Status {
      const std::string selected = "SELECT id FROM bookings WHERE (" + where +
                                   ") AND (email IS NOT NULL OR first_name IS NOT NULL OR "
                                   "last_name IS NOT NULL OR full_name IS NOT NULL OR "
                                   "phone IS NOT NULL)";
      TRIPSIM_ASSIGN_OR_RETURN(
          m, db.Prepare("UPDATE messages SET recipient = '', status = CASE WHEN status = "
                        "'PENDING' THEN 'CANCELLED' ELSE status END WHERE booking_id IN (" +
                        selected + ")"));
      bind(m);
      TRIPSIM_RETURN_IF_ERROR(m.Run());
      TRIPSIM_ASSIGN_OR_RETURN(
          b, db.Prepare("UPDATE bookings SET email = NULL, first_name = NULL, last_name = NULL, "
                        "full_name = NULL, title = NULL, phone = NULL, gender = NULL, "
                        "flight_number = NULL WHERE id IN (" +
                        selected + ")"));
      bind(b);
      TRIPSIM_RETURN_IF_ERROR(b.Run());
      erased = sqlite3_changes(db.raw());
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return erased;
  }

  Result<Partner> QueryPartner(const char* where, const std::string& value) {
    return Read<Partner>([&](Db& db) -> Result<Partner> {
      TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("SELECT " + std::string(kPartnerColumns) +
                                             " FROM partners WHERE " + where));
      s.Bind(1, value);
      Stmt::StepResult r = s.Step();
      if (r == Stmt::kError) return s.Error();
      if (r == Stmt::kDone) return NotFound("partner not found");
      return ReadPartner(s);
    });
  }

  // The writer connection, its commits now waking the checkpointer instead of checkpointing.
  Db Watched(Db writer) {
    checkpointer_.Watch(writer);
    return writer;
  }

  const std::string path_;
  Checkpointer checkpointer_;  // outlives the writer, whose commits call it
  NewRowCounters counters_;    // outlives the writer; used by the writer thread only
  GroupCommitWriter writer_;
  const std::unique_ptr<CommitWatch> commits_;  // null when the file shares no WAL index
  std::mutex pool_mu_;
  std::vector<Db> pool_;  // guarded by pool_mu_
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  TRIPSIM_ASSIGN_OR_RETURN(db, Db::Open(options.path, true));
  if (options.migrate) TRIPSIM_RETURN_IF_ERROR(Migrate(db));
  // The writer keeps the index pages it keeps touching (32 MiB instead of 2); its savepoint
  // journals are Db::Open's; checkpoints are the Checkpointer's, on its own thread.
  TRIPSIM_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size=-32768;"));
  // Without a WAL index to watch, every read of a booking asks the file (CommitMark is empty).
  Result<std::unique_ptr<CommitWatch>> commits = CommitWatch::Open(options.path);
  return std::unique_ptr<Store>(
      std::make_unique<SqliteStore>(options.path, std::move(db), options.max_batch,
                                    commits.ok() ? std::move(commits).value() : nullptr));
}

}  // namespace tripsim::store
