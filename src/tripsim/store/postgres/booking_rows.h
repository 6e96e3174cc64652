// The rows of a booking in PostgreSQL: the statements that insert a booking, its promo codes,
// its messages and the webhook events about it, and the reads of bookings with their children
// in one round trip. Internal to store/postgres.
//
//   TRIPSIM_ASSIGN_OR_RETURN(b, QueryBooking(c, "id = $1", {P(id)}));
//   TRIPSIM_ASSIGN_OR_RETURN(rows, c.ExecAll(ChildrenAndWebhook(b)));
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"
#include "tripsim/store/postgres/pg.h"

namespace tripsim::store::pg {

// The statement inserting the new booking `b` unless its booking_id or key is taken: it
// returns the id when it inserted the row, nothing otherwise.
Query BookingInsert(const domain::Booking& b);

// The statements inserting the promo codes and messages of the new booking `b`, and its
// booking.created webhook.
std::vector<Query> ChildrenAndWebhook(const domain::Booking& b);

// Inserts message `m` at `position` among the messages of booking `booking_id`.
Status InsertMessage(Conn& c, const std::string& booking_id, int64_t position,
                     const domain::Message& m);

// Queues the partner's webhook `event` about the booking (nothing when the partner has no
// webhook URL).
Status EnqueueWebhook(Conn& c, const std::string& booking_id, const std::string& event,
                      const std::string& subject_id, int64_t now);

// The booking a message belongs to; kNotFound when there is no message `message_id`.
Result<std::string> BookingOfMessage(Conn& c, const std::string& message_id);

// The first booking matching `where` ($1...), with its children; `lock` adds FOR UPDATE. The
// booking and its children are read in one round trip. They need no snapshot of their own:
// a booking's children are written with it, and each statement names it by the same `where`.
Result<domain::Booking> QueryBooking(Conn& c, const std::string& where, const Params& params,
                                     bool lock = false,
                                     std::string_view missing = "booking not found");

// The statements reading the promo codes and the messages of the bookings that
// `booking_ids` (a SELECT of booking ids) names, with its parameters, for AttachChildren.
std::vector<Query> ChildQueries(const std::string& booking_ids, const Params& params);

// Gives each of `bookings` its rows of `codes` and `messages` (the results of ChildQueries).
Status AttachChildren(const Rows& codes, const Rows& messages, std::span<domain::Booking> bookings);

}  // namespace tripsim::store::pg
