// HTML pages travellers see (claim; the redeem page is redeem_page.h), in their language.
// Templates under templates/pages/, their strings in templates/pages/strings.json, compiled
// in; every value is HTML-escaped.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tripsim/domain/booking.h"

namespace tripsim::render {

// The language of a traveller's page, one the pages speak (en nl de fr es it): the booking's
// locale when it names one, else the first of the browser's Accept-Language that does, else
// English.
std::string PageLanguage(const std::optional<std::string>& booking_locale,
                         std::string_view accept_language);

// Why a claim link cannot be used.
enum class ClaimRefusal { kInvalidLink, kNoLongerValid, kAlreadyClaimed };

// The claim form for `code` (of its booking), or, with `refusal`, a page that says why it
// cannot be claimed.
std::string ClaimPage(const domain::PromoCode* code, const std::string& claim_api_path,
                      std::optional<ClaimRefusal> refusal, const std::string& lang);

}  // namespace tripsim::render
