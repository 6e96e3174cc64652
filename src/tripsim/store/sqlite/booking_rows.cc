#include "tripsim/store/sqlite/booking_rows.h"

#include "tripsim/base/ids.h"

namespace tripsim::store::sqlite {
namespace {

using domain::Booking;

std::optional<int64_t> OptInt(const std::optional<int>& v) {
  return v ? std::optional<int64_t>(*v) : std::nullopt;
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

}  // namespace

const BookingQuery kBookingOfPartner("id = ? AND partner_id = ?");
const BookingQuery kBookingByReference("partner_id = ? AND booking_ref = ?");
const BookingQuery kBookingByKey("partner_id = ? AND idempotency_key = ?");
const BookingQuery kBookingOfClaim("id = (SELECT booking_id FROM promo_codes WHERE uuid = ?)",
                                   "promo code not found");
const BookingQuery kBookingOfCode("id = (SELECT booking_id FROM promo_codes WHERE code = ?)",
                                  "promo code not found");
const BookingQuery kBookingById("id = ?");

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

}  // namespace tripsim::store::sqlite
