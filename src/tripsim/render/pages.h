// HTML pages travellers see (claim). Templates under templates/pages/, compiled in; every
// value is HTML-escaped.
#pragma once

#include <string>

#include "tripsim/domain/booking.h"

namespace tripsim::render {

// The claim form for `code` (of its booking), or, when `message` is set, a page that says
// why it cannot be claimed.
std::string ClaimPage(const domain::PromoCode* code, const std::string& claim_api_path,
                      const std::string& message);

}  // namespace tripsim::render
