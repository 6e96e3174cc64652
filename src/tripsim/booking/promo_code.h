// Promo codes: 12 symbols of Crockford's base32 (no I, L, O or U, so nothing reads as
// something else), grouped XXXX-XXXX-XXXX, drawn from the CSPRNG: 12 x 5 = 60 random bits.
// Travellers may type them in any case, with or without hyphens or spaces between the groups
// (as an email shows them, as a phone's keyboard inserts them); a typed O reads as 0 and I or
// L as 1, as Crockford's decoding does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tripsim::booking {

// A new code, "K7Q2-M9XD-4TPA".
std::string NewPromoCode();

// The canonical form of a typed code (upper case, hyphens in place), or nullopt when it cannot
// be one of ours.
std::optional<std::string> NormalizePromoCode(std::string_view typed);

}  // namespace tripsim::booking
