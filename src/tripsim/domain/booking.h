// A booking as tripsim keeps it: the partner's request, the promo codes issued for it (each with
// a snapshot of its package and the reason it was chosen) and the messages queued for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tripsim/base/date.h"
#include "tripsim/domain/package.h"

namespace tripsim::domain {

// One entry of package_specifications, after validation.
struct PackageSpec {
  std::optional<std::string> package_id;
  std::vector<std::string> destinations;  // canonical codes (alpha-2 or region), as requested
  bool destination_is_array = false;
  std::optional<int64_t> size_mb;
  std::optional<PackageType> package_type;
  std::optional<int> package_duration;
  bool destinationless() const { return !package_id && destinations.empty(); }
  bool operator==(const PackageSpec&) const = default;
};

// The validated fields of POST /api/bookings, as stored. Absent optionals were absent or null.
struct BookingRequest {
  std::optional<std::string> booking_id;
  std::string departure_date;  // as sent: a date or a date-time with offset
  std::optional<std::string> return_date;
  std::optional<std::string> email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> full_name;
  std::optional<std::string> title;
  std::optional<std::string> phone;
  std::optional<int> pax;
  std::optional<std::string> flight_number;
  std::optional<std::string> gender;
  std::optional<std::string> locale;
  std::optional<std::string> external_id;
  std::vector<PackageSpec> package_specifications;
  bool should_send_message = false;
  std::vector<std::string> channels;
  bool operator==(const BookingRequest&) const = default;

  Date departure() const { return *ParseIsoDate(departure_date); }
  std::optional<Date> return_day() const {
    return return_date ? ParseIsoDate(*return_date) : std::nullopt;
  }
  // return - departure + 1 when the return date is known.
  std::optional<int> trip_days() const {
    auto r = return_day();
    return r ? std::optional<int>(r->days - departure().days + 1) : std::nullopt;
  }
  int travellers() const { return pax.value_or(1); }
};

enum class BookingStatus { kConfirmed, kCompleted, kCancelled, kExpired };
enum class PromoStatus { kIssued, kClaimed, kRedeemed, kRevoked, kExpired };
enum class MessageStatus { kPending, kSent, kFailed, kCancelled };

std::string_view BookingStatusName(BookingStatus s);
std::optional<BookingStatus> ParseBookingStatus(std::string_view s);
std::string_view PromoStatusName(PromoStatus s);
std::optional<PromoStatus> ParsePromoStatus(std::string_view s);
std::string_view MessageStatusName(MessageStatus s);
std::optional<MessageStatus> ParseMessageStatus(std::string_view s);

// Why a package was chosen: the strategy's name and a one-line explanation.
struct Assignment {
  std::string strategy;
  std::string reason;
  bool operator==(const Assignment&) const = default;
};

struct PromoCode {
  std::string code;  // "K7Q2-M9XD-4TPA"
  std::string uuid;
  int spec_index = 0;
  std::optional<Package> package;  // snapshot; empty for a destinationless code until redeemed
  std::string destination;         // canonical destination (alpha-2 or region), may be empty
  Assignment assignment;
  PromoStatus status = PromoStatus::kIssued;
  std::optional<int64_t> claimed_at;
  std::optional<int64_t> redeemed_at;
  Date valid_until;
  bool operator==(const PromoCode&) const = default;
};

struct Message {
  std::string id;          // "msg_..."; also the stable Message-ID's local part
  std::string channel;     // "EMAIL"
  std::string kind;        // "booking_confirmation", "reminder", "resend", "claim"
  std::string recipient;   // the address it goes to (the booking's email, or a claimer's)
  std::string promo_code;  // the one code it carries (a claim); empty: every live code
  MessageStatus status = MessageStatus::kPending;
  int attempts = 0;
  int64_t created_at = 0;
  int64_t due_at = 0;  // not sent before this time
  std::optional<int64_t> sent_at;
  std::string last_error;
  bool operator==(const Message&) const = default;
};

struct Booking {
  std::string id;  // "bk_..."
  std::string partner_id;
  BookingRequest request;
  BookingStatus status = BookingStatus::kConfirmed;
  int64_t created_at = 0;
  std::string fingerprint;      // SHA-256 of the canonical request, for idempotent repeats
  std::string idempotency_key;  // the Idempotency-Key header, when one was sent
  std::vector<PromoCode> promo_codes;
  std::vector<Message> messages;
  bool operator==(const Booking&) const = default;
};

}  // namespace tripsim::domain
