// The rows of a booking in SQLite: the booking, its promo codes and messages, and the webhook
// events about it; written and read on a connection the caller holds, inside its transaction.
// Every insert of a booking or a message goes through here and counts itself in the
// transaction's NewRowCounters. Internal to store/sqlite.
//
//   TRIPSIM_RETURN_IF_ERROR(InsertBooking(db, counters, booking));
//   TRIPSIM_ASSIGN_OR_RETURN(b, QueryBooking(db, kBookingById, [&](Stmt& s) { s.Bind(1, id); }));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"
#include "tripsim/store/row_codec.h"
#include "tripsim/store/sqlite/db.h"
#include "tripsim/store/sqlite/new_row_counters.h"

namespace tripsim::store::sqlite {

// Inserts `b` with its promo codes and messages, and counts them.
Status InsertBooking(Db& db, NewRowCounters& counters, const domain::Booking& b);

// A message added to an existing booking of `partner_id`, counted; the booking's revision
// moves (migration 10: there is no insert trigger for it).
Status InsertMessage(Db& db, NewRowCounters& counters, const std::string& partner_id,
                     const std::string& booking_id, int64_t position, const domain::Message& m);

// Loads the promo codes and messages of `b`.
Status LoadChildren(Db& db, domain::Booking& b);

// A booking and its partner: what a webhook event is about, and for whom.
struct EventOwner {
  std::string_view partner_id;
  std::string_view booking_id;
};

// Records a webhook event for the booking's partner, when it has a webhook URL. Most partners
// have none: one point lookup then, not an INSERT ... SELECT, which opens a statement journal
// even when it inserts nothing (a twentieth of a booking's cost in the writer).
Status EnqueueWebhook(Db& db, EventOwner owner, std::string_view event, std::string_view subject_id,
                      int64_t now);

// The booking a message belongs to, and its partner.
struct MessageOwner {
  std::string partner_id;
  std::string booking_id;
  EventOwner event_owner() const { return {partner_id, booking_id}; }
};

// kNotFound when there is no message `message_id`.
Result<MessageOwner> OwnerOfMessage(Db& db, const std::string& message_id);

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

extern const BookingQuery kBookingOfPartner;    // ?1 id, ?2 partner
extern const BookingQuery kBookingByReference;  // ?1 partner, ?2 the partner's booking_id
extern const BookingQuery kBookingByKey;        // ?1 partner, ?2 idempotency key
extern const BookingQuery kBookingOfClaim;      // ?1 a promo code's claim uuid
extern const BookingQuery kBookingOfCode;       // ?1 a promo code
extern const BookingQuery kBookingById;         // ?1 id

// The first booking of `query` (with parameters bound by `bind`), with its children.
template <typename Bind>
Result<domain::Booking> QueryBooking(Db& db, const BookingQuery& query, Bind bind) {
  TRIPSIM_ASSIGN_OR_RETURN(s, db.Prepare(query.sql));
  bind(s);
  Stmt::StepResult r = s.Step();
  if (r == Stmt::kError) return s.Error();
  if (r == Stmt::kDone) return NotFound(query.missing);
  TRIPSIM_ASSIGN_OR_RETURN(b, ReadBooking(s));
  TRIPSIM_RETURN_IF_ERROR(LoadChildren(db, b));
  return b;
}

}  // namespace tripsim::store::sqlite
