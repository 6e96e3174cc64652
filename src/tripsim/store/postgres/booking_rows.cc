#include "tripsim/store/postgres/booking_rows.h"

#include <unordered_map>

#include "tripsim/base/ids.h"
#include "tripsim/store/row_codec.h"

namespace tripsim::store::pg {
namespace {

using domain::Booking;

Query MessageInsert(const std::string& booking_id, int64_t position, const domain::Message& m) {
  return {
      "INSERT INTO messages (id, booking_id, position, channel, kind, recipient, status, "
      "attempts, created_at, due_at, sent_at, last_error, promo_code) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)",
      {P(m.id), P(booking_id), P(position), P(m.channel), P(m.kind), P(m.recipient),
       P(std::string(domain::MessageStatusName(m.status))), P(m.attempts), P(m.created_at),
       P(m.due_at), P(m.sent_at), P(m.last_error), P(m.promo_code)}};
}

// The statement queuing the partner's webhook `event` for the booking (it inserts nothing
// when the partner has no webhook URL).
Query WebhookInsert(const std::string& booking_id, const std::string& event,
                    const std::string& subject_id, int64_t now) {
  return {
      "INSERT INTO webhook_events (id, partner_id, event, booking_id, subject_id, "
      "created_at, status, attempts, due_at, last_error) "
      "SELECT $1, b.partner_id, $2, b.id, $3, $4, 'PENDING', 0, $4, '' "
      "FROM bookings b JOIN partners p ON p.id = b.partner_id "
      "WHERE b.id = $5 AND p.webhook_url <> ''",
      {P(NewOrderedId("evt_")), P(event), P(subject_id), P(now), P(booking_id)}};
}

}  // namespace

Query BookingInsert(const Booking& b) {
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

std::vector<Query> ChildrenAndWebhook(const Booking& b) {
  std::vector<Query> out;
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

Status InsertMessage(Conn& c, const std::string& booking_id, int64_t position,
                     const domain::Message& m) {
  Query q = MessageInsert(booking_id, position, m);
  return c.Exec(q.sql, q.params).status();
}

Status EnqueueWebhook(Conn& c, const std::string& booking_id, const std::string& event,
                      const std::string& subject_id, int64_t now) {
  Query q = WebhookInsert(booking_id, event, subject_id, now);
  return c.Exec(q.sql, q.params).status();
}

Result<std::string> BookingOfMessage(Conn& c, const std::string& message_id) {
  TRIPSIM_ASSIGN_OR_RETURN(
      r, c.Exec("SELECT booking_id FROM messages WHERE id = $1", {P(message_id)}));
  if (r.size() == 0) return NotFound("message not found");
  return r.Text(0, 0);
}

Result<Booking> QueryBooking(Conn& c, const std::string& where, const Params& params, bool lock,
                             std::string_view missing) {
  std::vector<Query> queries = ChildQueries("SELECT id FROM bookings WHERE " + where, params);
  queries.insert(queries.begin(), {"SELECT " + Cols(kBookingColumns) + " FROM bookings WHERE " +
                                       where + (lock ? " FOR UPDATE" : ""),
                                   params});
  TRIPSIM_ASSIGN_OR_RETURN(rows, c.ExecAll(queries));
  if (rows[0].size() == 0) return NotFound(std::string(missing));
  TRIPSIM_ASSIGN_OR_RETURN(b, ReadBooking(Row(rows[0], 0)));
  TRIPSIM_RETURN_IF_ERROR(AttachChildren(rows[1], rows[2], std::span(&b, 1)));
  return b;
}

std::vector<Query> ChildQueries(const std::string& booking_ids, const Params& params) {
  return {
      {"SELECT booking_id, " + Cols(kPromoCodeColumns) + " FROM promo_codes WHERE booking_id IN (" +
           booking_ids + ") ORDER BY booking_id, position",
       params},
      {"SELECT booking_id, " + Cols(kMessageColumns) + " FROM messages WHERE booking_id IN (" +
           booking_ids + ") ORDER BY booking_id, position",
       params}};
}

Status AttachChildren(const Rows& codes, const Rows& messages, std::span<Booking> bookings) {
  std::unordered_map<std::string_view, Booking*> by_id;
  for (Booking& b : bookings) by_id.emplace(b.id, &b);
  auto owner = [&](const Rows& rows, int i) {
    auto it = by_id.find(rows.View(i, 0));
    return it == by_id.end() ? nullptr : it->second;
  };
  for (int i = 0; i < codes.size(); ++i) {
    if (Booking* b = owner(codes, i)) {
      TRIPSIM_ASSIGN_OR_RETURN(code, ReadPromoCode(Row(codes, i), 1));
      b->promo_codes.push_back(std::move(code));
    }
  }
  for (int i = 0; i < messages.size(); ++i) {
    if (Booking* b = owner(messages, i)) {
      b->messages.push_back(ReadMessage(Row(messages, i), 1));
    }
  }
  return Status::Ok();
}

}  // namespace tripsim::store::pg
