#include "tripsim/store/sqlite/new_row_counters.h"

#include <algorithm>

#include "tripsim/base/date.h"

namespace tripsim::store::sqlite {
namespace {

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

}  // namespace

int64_t DayOf(int64_t millis) { return DateOfMillis(millis).days; }

Status NewRowCounters::Flush(Db& db) {
  Status s = Status::Ok();
  for (const Entry& e : transaction_) {
    s = CountNewRows(db, e.day, e.partner_id, e.rows);
    if (!s.ok()) break;
  }
  transaction_.clear();
  return s;
}

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

}  // namespace tripsim::store::sqlite
