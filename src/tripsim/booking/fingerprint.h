// The fingerprint of a booking request: SHA-256 over a canonical encoding of the parsed
// fields. Two requests have the same fingerprint exactly when they are equal after parsing
// (design.md 10: unknown fields, nulls and absent optionals do not matter).
#pragma once

#include <string>

#include "tripsim/domain/booking.h"

namespace tripsim::booking {

std::string Fingerprint(const domain::BookingRequest& request);

}  // namespace tripsim::booking
