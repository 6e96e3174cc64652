// The store's own text encodings for values kept in one column: package snapshots,
// package specifications and string lists. Shared by the SQL stores; not the wire format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tripsim/base/status.h"
#include "tripsim/domain/booking.h"
#include "tripsim/domain/package.h"

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

std::string EncodePackage(const domain::Package& p);
Result<domain::Package> DecodePackage(const std::string& text);

std::string EncodeSpecs(const std::vector<domain::PackageSpec>& specs);
Result<std::vector<domain::PackageSpec>> DecodeSpecs(const std::string& text);

// Space-separated; the items never contain spaces (codes, channel and type names).
std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(const std::string& text);

}  // namespace tripsim::store
