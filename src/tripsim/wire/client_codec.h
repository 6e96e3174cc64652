// The partner API as a client sees it (the SDK, the CLI, partners' C++ code): requests encoded
// from the domain's BookingRequest, and answers decoded into plain views. The mirror of
// booking_codec.h, which serves the server side; a round-trip test holds the two together.
//
//   std::string body = EncodeBookingRequest(request);
//   Result<BookingView> b = DecodeBooking(response_body);  // {"success":true,"data":{...}}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"

namespace tripsim::wire {

struct PromoCodeView {
  std::string promo_code;
  std::string uuid;
  std::string status;  // ISSUED, CLAIMED, REDEEMED, REVOKED, EXPIRED
  std::optional<std::string> package_id;
  std::optional<std::string> package_name;
  std::optional<std::string> package_size;  // "5GB", "unlimited"
  std::optional<int> package_duration;      // days
  std::optional<std::string> destination;
  std::string deep_link_url;
  std::string claim_url;
  std::string valid_until;  // YYYY-MM-DD
  std::optional<std::string> redeemed_at;
  std::string assignment_reason;
};

struct MessageView {
  std::string id;
  std::string channel;
  std::string kind;
  std::string status;                    // PENDING, SENT, FAILED, CANCELLED
  std::optional<std::string> recipient;  // the address; absent once the traveller is erased
  int attempts = 0;
  std::optional<std::string> sent_at;
  std::optional<std::string> last_error;
};

struct BookingView {
  std::string id;  // "bk_..."
  std::optional<std::string> booking_id;
  std::string status;  // CONFIRMED, COMPLETED, CANCELLED, EXPIRED
  std::string created_at;
  std::string departure_date;
  std::optional<std::string> return_date;
  std::optional<std::string> email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::vector<PromoCodeView> promo_codes;
  std::vector<MessageView> messages;
  std::vector<std::string> warnings;  // of a create: "field: issue"
  bool created = false;               // a create answered 201 (false: an idempotent repeat)
};

struct BookingListView {
  std::vector<BookingView> bookings;
  int page = 1;
  int per_page = 20;
  int64_t total = 0;
};

struct PackageView {
  std::string id;
  std::string name;
  std::vector<std::string> countries;
  std::string size;  // "5GB", "unlimited"
  int validity_days = 0;
  std::string type;
  std::string price;  // "9.00 EUR"
};

// The request body of POST /api/bookings; absent optional fields are left out.
std::string EncodeBookingRequest(const domain::BookingRequest& request);
// The request body of POST /api/bookings/{id}/resend: {"email": ...}, or "" without one.
std::string EncodeResendRequest(const std::optional<std::string>& email);

// Success answers. kInternal names what was missing when the JSON is not the documented shape.
Result<BookingView> DecodeBooking(std::string_view body);
Result<BookingListView> DecodeBookingList(std::string_view body);
Result<std::vector<PackageView>> DecodePackageList(std::string_view body);

// An error answer ({"success":false,"error":{"code","message","details"}}) as a Status with the
// ErrorCode of its HTTP status and its details.
Status DecodeError(int http_status, std::string_view body);

}  // namespace tripsim::wire
