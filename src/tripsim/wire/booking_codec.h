// The JSON shape of the partner API: parsing and validating POST /api/bookings, and encoding
// bookings, lists and errors. This is the one place the wire format lives (design.md 2.3, 10).
//
//   Result<domain::BookingRequest> req = wire::ParseCreateBooking(body, today);
//   if (!req.ok()) return Respond(req.status());       // every problem listed in details()
//   std::string json = wire::EncodeBooking(booking, {.public_url = url});
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tripsim/base/date.h"
#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"
#include "tripsim/domain/esim.h"
#include "tripsim/domain/geography.h"

namespace tripsim::wire {

// Limits that are ours rather than the design's, stated here so they can be documented.
inline constexpr int kMaxPax = 100;
inline constexpr int kMaxDestinationsPerSpec = 50;

struct ParseOptions {
  Date today;  // UTC; departure dates more than one day before this are rejected
  const domain::Geography* geography = &domain::Geography::Builtin();
  // Channels with a configured sender; the others answer "channel not enabled".
  std::vector<std::string> enabled_channels = {"EMAIL"};
};

// Parses and validates a booking request. On failure the Status is kInvalidArgument with every
// problem found, each naming its field ("package_specifications[0].size"). Unknown fields are
// ignored; null optional fields count as absent.
Result<domain::BookingRequest> ParseCreateBooking(std::string_view body,
                                                  const ParseOptions& options);

struct EncodeOptions {
  std::string public_url;  // claim_url and deep_link_url are built on it
};

// The optional body of POST /api/promo-codes/{code}/redeem: {"destination": "FR"} for a
// destinationless code; empty or {} otherwise.
Result<std::optional<std::string>> ParseRedeemRequest(std::string_view body);

// The optional body of POST /api/bookings/{id}/resend: {"email": "..."} sends the email to that
// address (a corrected one, or a first one for a booking made without); empty, {} or a null
// email: to the booking's own address.
Result<std::optional<std::string>> ParseResendRequest(std::string_view body);

// The body of POST /api/promo-codes/claim/{uuid}: {"email": "..."}, the address validated.
Result<std::string> ParseClaimRequest(std::string_view body);

// The data of a redemption (design.md 10): iccid, activation_code, smdp_address, matching_id,
// confirmation_code_required, ios_install_url, install_steps, test_profile.
std::string EncodeRedemption(const domain::EsimProfile& profile, const std::string& ios_url,
                             const std::vector<std::string>& install_steps);

// The `data` of a webhook event: the booking as GET returns it, plus "message" or
// "promo_code" (the one `subject_id` names) when the event concerns one.
std::string EncodeWebhookData(const domain::Booking& booking, const std::string& subject_id,
                              const EncodeOptions& options);

// {"success": true, "data": <booking>[, "warnings": [...]]}
std::string EncodeBookingResponse(const domain::Booking& booking, const EncodeOptions& options,
                                  const std::vector<FieldIssue>& warnings = {});

// {"success": true, "data": [<booking>...], "meta": {"page", "perPage", "total"}}
std::string EncodeBookingList(const std::vector<domain::Booking>& bookings, int page, int per_page,
                              int64_t total, const EncodeOptions& options);

// {"success": false, "error": {"code": http_status, "message": ..., "details": [...]}}
std::string EncodeError(int http_status, const Status& status);

// {"success": true, "data": <data_json>} around an already encoded value.
std::string EncodeSuccess(std::string_view data_json);

}  // namespace tripsim::wire
