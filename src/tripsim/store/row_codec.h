// What both SQL stores share about rows: the column lists, the readers that turn a row into a
// domain value, and the store's own text encodings for values kept in one column (package
// snapshots, package specifications, string lists; not the wire format).
//
// A reader takes any `Row` that reads column i of one row: Text(i), OptText(i), Int(i),
// OptInt(i), Double(i) (sqlite::Stmt on its current row; pg::Row).
//
//   TRIPSIM_ASSIGN_OR_RETURN(b, ReadBooking(row));  // columns: kBookingColumns
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"
#include "tripsim/domain/esim.h"
#include "tripsim/domain/package.h"
#include "tripsim/domain/partner.h"
#include "tripsim/store/store.h"

namespace tripsim::store {

// The columns both SQL stores read and write, in the order their row readers expect.
constexpr std::string_view kPartnerColumns =
    "id, name, api_key, secret_sealed, enabled, strategy_json, allow_list, package_types, "
    "require_body_hash, webhook_url, webhook_secret_sealed, email_from, email_reply_to, "
    "display_name, reminder_days, rate_limit, created_at, previous_secret_sealed, "
    "previous_secret_until, daily_booking_limit";

constexpr std::string_view kBookingColumns =
    "id, partner_id, booking_ref, idempotency_key, fingerprint, status, created_at, "
    "departure_date, departure_day, return_date, email, first_name, last_name, full_name, title, "
    "phone, pax, flight_number, gender, locale, external_id, should_send_message, channels, specs";

constexpr std::string_view kWebhookColumns =
    "id, partner_id, event, booking_id, subject_id, created_at, status, attempts, last_error";

constexpr std::string_view kPromoCodeColumns =
    "code, uuid, spec_index, package, destination, strategy, reason, status, claimed_at, "
    "redeemed_at, valid_until";

constexpr std::string_view kProfileColumns =
    "iccid, smdp_address, matching_id, confirmation_code, provider, test_profile";

constexpr std::string_view kMessageColumns =
    "id, channel, kind, status, attempts, created_at, due_at, sent_at, last_error, recipient, "
    "promo_code";

std::string EncodePackage(const domain::Package& p);
Result<domain::Package> DecodePackage(const std::string& text);

std::string EncodeSpecs(const std::vector<domain::PackageSpec>& specs);
Result<std::vector<domain::PackageSpec>> DecodeSpecs(const std::string& text);

// Space-separated; the items never contain spaces (codes, channel and type names).
std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(const std::string& text);

// Readers of one row. Each reads its columns (in the order of its list above) from column
// `first` on.

template <typename Row>
domain::Partner ReadPartner(const Row& s, int first = 0) {
  domain::Partner p;
  p.id = s.Text(first + 0);
  p.name = s.Text(first + 1);
  p.api_key = s.Text(first + 2);
  p.secret_sealed = s.Text(first + 3);
  p.enabled = s.Int(first + 4) != 0;
  p.strategy_json = s.Text(first + 5);
  p.destination_allow_list = SplitList(s.Text(first + 6));
  p.package_types = SplitList(s.Text(first + 7));
  p.require_body_hash = s.Int(first + 8) != 0;
  p.webhook_url = s.Text(first + 9);
  p.webhook_secret_sealed = s.Text(first + 10);
  p.email_from = s.Text(first + 11);
  p.email_reply_to = s.Text(first + 12);
  p.display_name = s.Text(first + 13);
  p.reminder_days = static_cast<int>(s.Int(first + 14));
  p.rate_limit = s.Double(first + 15);
  p.created_at = s.Int(first + 16);
  p.previous_secret_sealed = s.Text(first + 17);
  p.previous_secret_until = s.Int(first + 18);
  p.daily_booking_limit = static_cast<int>(s.Int(first + 19));
  return p;
}

template <typename Row>
WebhookEvent ReadWebhook(const Row& s, int first = 0) {
  return {
      s.Text(first + 0), s.Text(first + 1), s.Text(first + 2), s.Text(first + 3),
      s.Text(first + 4), s.Int(first + 5),  s.Text(first + 6), static_cast<int>(s.Int(first + 7)),
      s.Text(first + 8)};
}

// The booking without its promo codes and messages.
template <typename Row>
Result<domain::Booking> ReadBooking(const Row& s, int first = 0) {
  domain::Booking b;
  domain::BookingRequest& r = b.request;
  b.id = s.Text(first + 0);
  b.partner_id = s.Text(first + 1);
  r.booking_id = s.OptText(first + 2);
  b.idempotency_key = s.OptText(first + 3).value_or("");
  b.fingerprint = s.Text(first + 4);
  b.status =
      domain::ParseBookingStatus(s.Text(first + 5)).value_or(domain::BookingStatus::kConfirmed);
  b.created_at = s.Int(first + 6);
  r.departure_date = s.Text(first + 7);  // (8, departure_day, is for queries)
  r.return_date = s.OptText(first + 9);
  r.email = s.OptText(first + 10);
  r.first_name = s.OptText(first + 11);
  r.last_name = s.OptText(first + 12);
  r.full_name = s.OptText(first + 13);
  r.title = s.OptText(first + 14);
  r.phone = s.OptText(first + 15);
  if (auto pax = s.OptInt(first + 16)) r.pax = static_cast<int>(*pax);
  r.flight_number = s.OptText(first + 17);
  r.gender = s.OptText(first + 18);
  r.locale = s.OptText(first + 19);
  r.external_id = s.OptText(first + 20);
  r.should_send_message = s.Int(first + 21) != 0;
  r.channels = SplitList(s.Text(first + 22));
  TRIPSIM_ASSIGN_OR_RETURN(specs, DecodeSpecs(s.Text(first + 23)));
  r.package_specifications = std::move(specs);
  return b;
}

template <typename Row>
Result<domain::PromoCode> ReadPromoCode(const Row& s, int first = 0) {
  domain::PromoCode p;
  p.code = s.Text(first + 0);
  p.uuid = s.Text(first + 1);
  p.spec_index = static_cast<int>(s.Int(first + 2));
  if (auto doc = s.OptText(first + 3)) {
    TRIPSIM_ASSIGN_OR_RETURN(pkg, DecodePackage(*doc));
    p.package = std::move(pkg);
  }
  p.destination = s.Text(first + 4);
  p.assignment = {s.Text(first + 5), s.Text(first + 6)};
  p.status = domain::ParsePromoStatus(s.Text(first + 7)).value_or(domain::PromoStatus::kIssued);
  p.claimed_at = s.OptInt(first + 8);
  p.redeemed_at = s.OptInt(first + 9);
  p.valid_until = Date{static_cast<int32_t>(s.Int(first + 10))};
  return p;
}

template <typename Row>
domain::Message ReadMessage(const Row& s, int first = 0) {
  domain::Message m;
  m.id = s.Text(first + 0);
  m.channel = s.Text(first + 1);
  m.kind = s.Text(first + 2);
  m.status =
      domain::ParseMessageStatus(s.Text(first + 3)).value_or(domain::MessageStatus::kPending);
  m.attempts = static_cast<int>(s.Int(first + 4));
  m.created_at = s.Int(first + 5);
  m.due_at = s.Int(first + 6);
  m.sent_at = s.OptInt(first + 7);
  m.last_error = s.Text(first + 8);
  m.recipient = s.Text(first + 9);
  m.promo_code = s.Text(first + 10);
  return m;
}

template <typename Row>
domain::EsimProfile ReadProfile(const Row& s, int first = 0) {
  return {s.Text(first + 0), s.Text(first + 1), s.Text(first + 2),
          s.Text(first + 3), s.Text(first + 4), s.Int(first + 5) != 0};
}

}  // namespace tripsim::store
