// SqliteStore's bookings: creation through the group commit, reads on the pool, cancellation,
// messages added later, and claims of codes issued without an address.
#include <algorithm>

#include "tripsim/base/clock.h"
#include "tripsim/store/paging.h"
#include "tripsim/store/row_codec.h"
#include "tripsim/store/sqlite/booking_rows.h"
#include "tripsim/store/sqlite/sqlite_store_impl.h"

namespace tripsim::store::sqlite {

using domain::Booking;

Result<CreateResult> SqliteStore::CreateBooking(const Booking& b) {
  auto out = std::make_shared<CreateResult>();
  TRIPSIM_RETURN_IF_ERROR(writer_.Submit(CreateBookingJob(counters_, b, out)));
  if (out->created) out->booking = b;
  return std::move(*out);
}

void SqliteStore::CreateBookingAsync(Booking b, std::function<void(Result<CreateResult>)> done) {
  auto out = std::make_shared<CreateResult>();
  auto booking = std::make_shared<Booking>(std::move(b));
  writer_.SubmitAsync(CreateBookingJob(counters_, *booking, out),
                      [booking, out, done = std::move(done)](Status s) {
                        if (!s.ok()) return done(std::move(s));
                        if (out->created) out->booking = std::move(*booking);
                        done(std::move(*out));
                      });
}

Result<Booking> SqliteStore::GetBooking(const std::string& partner_id, const std::string& id) {
  return Read<Booking>([&](Db& db) {
    return QueryBooking(db, kBookingOfPartner, [&](Stmt& s) { s.Bind(1, id).Bind(2, partner_id); });
  });
}

Result<CheckedBooking> SqliteStore::GetBookingIfChanged(const std::string& partner_id,
                                                        const std::string& id,
                                                        std::optional<int64_t> known_revision) {
  return Read<CheckedBooking>([&](Db& db) -> Result<CheckedBooking> {
    TRIPSIM_ASSIGN_OR_RETURN(
        s, db.Prepare("SELECT revision FROM bookings WHERE id = ? AND partner_id = ?"));
    s.Bind(1, id).Bind(2, partner_id);
    const Stmt::StepResult r = s.Step();
    if (r == Stmt::kError) return s.Error();
    if (r == Stmt::kDone) return NotFound("booking not found");
    CheckedBooking checked{s.Int(0), std::nullopt};
    if (checked.revision == known_revision) return checked;
    TRIPSIM_ASSIGN_OR_RETURN(b, QueryBooking(db, kBookingOfPartner,
                                             [&](Stmt& q) { q.Bind(1, id).Bind(2, partner_id); }));
    checked.booking = std::move(b);
    return checked;
  });
}

Result<Booking> SqliteStore::FindBookingByReference(const std::string& partner_id,
                                                    const std::string& booking_id) {
  return Read<Booking>([&](Db& db) {
    return QueryBooking(db, kBookingByReference,
                        [&](Stmt& s) { s.Bind(1, partner_id).Bind(2, booking_id); });
  });
}

Result<Booking> SqliteStore::FindBookingByIdempotencyKey(const std::string& partner_id,
                                                         const std::string& key) {
  return Read<Booking>([&](Db& db) {
    return QueryBooking(db, kBookingByKey, [&](Stmt& s) { s.Bind(1, partner_id).Bind(2, key); });
  });
}

Result<BookingPage> SqliteStore::ListBookings(const std::string& partner_id,
                                              const BookingFilter& f) {
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

Result<Booking> SqliteStore::CancelBooking(const std::string& partner_id, const std::string& id,
                                           const CancelRule& rule) {
  Booking out;
  Status st = writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(b, QueryBooking(db, kBookingOfPartner,
                                             [&](Stmt& s) { s.Bind(1, id).Bind(2, partner_id); }));
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

Status SqliteStore::AddMessage(const std::string& booking_id, const domain::Message& message) {
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

Result<Booking> SqliteStore::FindBookingByPromoUuid(const std::string& uuid) {
  return Read<Booking>(
      [&](Db& db) { return QueryBooking(db, kBookingOfClaim, [&](Stmt& s) { s.Bind(1, uuid); }); });
}

Result<Booking> SqliteStore::ClaimPromoCode(
    const std::string& uuid, int64_t now, const domain::Message& message,
    const std::function<Status(const Booking&, const domain::PromoCode&)>& rule) {
  Booking out;
  Status st = writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(b,
                             QueryBooking(db, kBookingOfClaim, [&](Stmt& s) { s.Bind(1, uuid); }));
    auto code = std::find_if(b.promo_codes.begin(), b.promo_codes.end(),
                             [&](const domain::PromoCode& p) { return p.uuid == uuid; });
    TRIPSIM_RETURN_IF_ERROR(rule(b, *code));
    TRIPSIM_ASSIGN_OR_RETURN(
        u, db.Prepare("UPDATE promo_codes SET status = 'CLAIMED', claimed_at = ? WHERE uuid = ?"));
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

Status SqliteStore::ExpireIdempotencyKeys(int64_t before_millis) {
  return writer_.Submit([&](Db& db) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare("UPDATE bookings SET idempotency_key = NULL "
                                           "WHERE idempotency_key IS NOT NULL AND created_at < ?"));
    return s.Bind(1, before_millis).Run();
  });
}

GroupCommitWriter::Job SqliteStore::CreateBookingJob(NewRowCounters& counters, const Booking& b,
                                                     std::shared_ptr<CreateResult> out) {
  return [&counters, &b, out = std::move(out)](Db& db) -> Status {
    // Inside the writer, earlier jobs of the batch are visible: a duplicate finds its twin.
    Result<Booking> existing = NotFound("");
    if (b.request.booking_id) {
      existing = QueryBooking(db, kBookingByReference, [&](Stmt& s) {
        s.Bind(1, b.partner_id).Bind(2, *b.request.booking_id);
      });
    } else if (!b.idempotency_key.empty()) {
      existing = QueryBooking(db, kBookingByKey,
                              [&](Stmt& s) { s.Bind(1, b.partner_id).Bind(2, b.idempotency_key); });
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

}  // namespace tripsim::store::sqlite
