// Helpers shared by the Store implementations. Internal to store/.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

#include "tripsim/base/date.h"
#include "tripsim/domain/booking.h"
#include "tripsim/store/store.h"

namespace tripsim::store {

inline size_t Offset(const BookingFilter& f) {
  return static_cast<size_t>(std::max(f.page, 1) - 1) * static_cast<size_t>(f.per_page);
}

// created_to is inclusive: bookings created before the start of the next UTC day.
inline int64_t CreatedBefore(Date to) { return MillisOfDate(Date{to.days + 1}); }

// The total of a list: a sum of the per-day counters (daily_stats, migration 7), whose rows
// are the UTC days of creation and whose columns the statuses, as the filter's bounds are
// whole days. Its parameters, numbered in order after `mark` ("?" or "$"): the partner, then
// the first day and the last day as day numbers, each when the filter has it.
inline std::string CountBookingsSql(const BookingFilter& f, std::string_view mark) {
  std::string sum =
      "bookings_confirmed + bookings_completed + bookings_cancelled + bookings_expired";
  if (f.status) {  // its own column: bookings_<status in lower case>
    sum = "bookings_";
    for (char c : domain::BookingStatusName(*f.status)) {
      sum += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  std::string sql = "SELECT COALESCE(SUM(" + sum + "), 0) FROM daily_stats WHERE partner_id = ";
  sql.append(mark).append("1");
  int n = 1;
  if (f.created_from) sql.append(" AND day >= ").append(mark).append(std::to_string(++n));
  if (f.created_to) sql.append(" AND day <= ").append(mark).append(std::to_string(++n));
  return sql;
}

inline bool Matches(const BookingFilter& f, const domain::Booking& b) {
  if (f.status && b.status != *f.status) return false;
  if (f.created_from && b.created_at < MillisOfDate(*f.created_from)) return false;
  if (f.created_to && b.created_at >= CreatedBefore(*f.created_to)) return false;
  return true;
}

// The changes a cancellation makes: the booking CANCELLED, live codes REVOKED, pending
// messages CANCELLED.
inline void ApplyCancel(domain::Booking& b) {
  b.status = domain::BookingStatus::kCancelled;
  for (auto& p : b.promo_codes) {
    if (p.status == domain::PromoStatus::kIssued || p.status == domain::PromoStatus::kClaimed) {
      p.status = domain::PromoStatus::kRevoked;
    }
  }
  for (auto& m : b.messages) {
    if (m.status == domain::MessageStatus::kPending) m.status = domain::MessageStatus::kCancelled;
  }
}

}  // namespace tripsim::store
