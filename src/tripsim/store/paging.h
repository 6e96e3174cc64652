// Helpers shared by the Store implementations. Internal to store/.
#pragma once

#include "tripsim/base/date.h"
#include "tripsim/domain/booking.h"
#include "tripsim/store/store.h"

namespace tripsim::store {

inline size_t Offset(const BookingFilter& f) {
  return static_cast<size_t>(std::max(f.page, 1) - 1) * static_cast<size_t>(f.per_page);
}

// created_to is inclusive: bookings created before the start of the next UTC day.
inline int64_t CreatedBefore(Date to) { return MillisOfDate(Date{to.days + 1}); }

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
