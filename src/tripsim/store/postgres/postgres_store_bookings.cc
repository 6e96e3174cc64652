// PostgresStore's bookings: creation (alone, and in batches from CreateBookingAsync), reads,
// lists, cancellation, messages added later, and claims of codes issued without an address.
#include <algorithm>
#include <chrono>
#include <tuple>

#include "tripsim/base/clock.h"
#include "tripsim/store/paging.h"
#include "tripsim/store/postgres/booking_rows.h"
#include "tripsim/store/postgres/postgres_store_impl.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store::pg {

using domain::Booking;

Result<CreateResult> PostgresStore::CreateBooking(const Booking& b) {
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

void PostgresStore::CreateBookingAsync(Booking b, std::function<void(Result<CreateResult>)> done) {
  batcher_.Submit({std::move(b), std::move(done)});
}

Result<Booking> PostgresStore::GetBooking(const std::string& partner_id, const std::string& id) {
  return Read<Booking>([&](Conn& c) {
    return QueryBooking(c, "id = $1 AND partner_id = $2", {P(id), P(partner_id)});
  });
}

Result<Booking> PostgresStore::FindBookingByReference(const std::string& partner_id,
                                                      const std::string& booking_id) {
  return Read<Booking>([&](Conn& c) {
    return QueryBooking(c, "partner_id = $1 AND booking_ref = $2", {P(partner_id), P(booking_id)});
  });
}

Result<Booking> PostgresStore::FindBookingByIdempotencyKey(const std::string& partner_id,
                                                           const std::string& key) {
  return Read<Booking>([&](Conn& c) {
    return QueryBooking(c, "partner_id = $1 AND idempotency_key = $2", {P(partner_id), P(key)});
  });
}

Result<BookingPage> PostgresStore::ListBookings(const std::string& partner_id,
                                                const BookingFilter& f) {
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

Result<Booking> PostgresStore::CancelBooking(const std::string& partner_id, const std::string& id,
                                             const CancelRule& rule) {
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

Status PostgresStore::AddMessage(const std::string& booking_id, const domain::Message& message) {
  return Tx([&](Conn& c) -> Status {
    TRIPSIM_ASSIGN_OR_RETURN(
        lock, c.Exec("SELECT id FROM bookings WHERE id = $1 FOR UPDATE", {P(booking_id)}));
    if (lock.size() == 0) return NotFound("booking not found");
    TRIPSIM_ASSIGN_OR_RETURN(
        pos, c.Exec("SELECT COUNT(*) FROM messages WHERE booking_id = $1", {P(booking_id)}));
    return InsertMessage(c, booking_id, pos.Int(0, 0), message);
  });
}

Result<Booking> PostgresStore::FindBookingByPromoUuid(const std::string& uuid) {
  return Read<Booking>([&](Conn& c) {
    return QueryBooking(c, "id = (SELECT booking_id FROM promo_codes WHERE uuid = $1)", {P(uuid)},
                        false, "promo code not found");
  });
}

Result<Booking> PostgresStore::ClaimPromoCode(
    const std::string& uuid, int64_t now, const domain::Message& message,
    const std::function<Status(const Booking&, const domain::PromoCode&)>& rule) {
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

Status PostgresStore::ExpireIdempotencyKeys(int64_t before_millis) {
  return Tx([&](Conn& c) -> Status {
    return c
        .Exec(
            "UPDATE bookings SET idempotency_key = NULL "
            "WHERE idempotency_key IS NOT NULL AND created_at < $1",
            {P(before_millis)})
        .status();
  });
}

void PostgresStore::WriteBatch(std::vector<pg::CreateJob>& jobs) {
  // In one order for every writer, so that two batches racing for the same booking_ids
  // (another instance's) wait for each other rather than deadlock.
  std::sort(jobs.begin(), jobs.end(), [](const pg::CreateJob& a, const pg::CreateJob& b) {
    return std::tie(a.booking.partner_id, a.booking.request.booking_id, a.booking.idempotency_key) <
           std::tie(b.booking.partner_id, b.booking.request.booking_id, b.booking.idempotency_key);
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

Result<CreateResult> PostgresStore::Twin(const Booking& b) {
  Result<Booking> existing = b.request.booking_id
                                 ? FindBookingByReference(b.partner_id, *b.request.booking_id)
                                 : FindBookingByIdempotencyKey(b.partner_id, b.idempotency_key);
  if (!existing.ok()) return existing.status();
  return CreateResult{std::move(existing).value(), false};
}

}  // namespace tripsim::store::pg
