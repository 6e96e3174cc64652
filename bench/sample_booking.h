// The booking email the email benchmarks render: one promo code for France, for Ada, with the
// message that sends it and the outbox's rendering input.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "tripsim/domain/booking.h"
#include "tripsim/render/email.h"

namespace tripsim::bench {

inline domain::Booking SampleBooking(std::optional<std::string> locale = std::nullopt) {
  domain::Booking b;
  b.id = "bk_bench";
  b.request.departure_date = "2026-07-15";
  b.request.first_name = "Ada";
  b.request.locale = std::move(locale);
  domain::PromoCode p;
  p.code = "K7Q2-M9XD-4TPA";
  p.destination = "FR";
  p.package =
      domain::Package{"fr-5gb-30d", "France 5 GB", "sample", {"FR"},
                      "",           5120,          30,       domain::PackageType::kDataLimited,
                      {450, "EUR"}, {990, "EUR"},  false};
  b.promo_codes.push_back(p);
  return b;
}

inline domain::Message SampleMessage() {
  domain::Message m;
  m.id = "msg_bench";
  m.recipient = "ada@example.com";
  return m;
}

// What the outbox would render `b`'s email `m` with.
inline render::EmailInput SampleEmailInput(const domain::Booking& b, const domain::Message& m) {
  return {.booking = b,
          .message = m,
          .public_url = "https://esim.example.com",
          .sender_name = "Bench Travel",
          .from_address = "noreply@esim.example.com",
          .reply_to = "",
          .now_millis = 0};
}

}  // namespace tripsim::bench
