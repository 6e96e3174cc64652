// Identifiers: unguessable, URL-safe.
//
//   std::string key = NewId("tk_");        // "tk_5k2q9x..." (20 random base32 characters)
//   std::string id = NewOrderedId("bk_");  // "bk_01jd8x..." (time first, then 80 random bits)
//   std::string u = NewUuidV7();           // "019ac6f2-8d3e-7...-..."
#pragma once

#include <string>
#include <string_view>

namespace tripsim {

// prefix + 20 characters of lowercase Crockford base32 (100 random bits).
std::string NewId(std::string_view prefix);

// prefix + 10 characters of the creation time (milliseconds) + 16 random characters, all
// lowercase Crockford base32, so that ids sort by creation time. For row ids: a new row lands
// at the end of its index instead of on a random page, so a commit of many bookings writes a
// few pages instead of one per booking. Not for secrets (the time is readable).
std::string NewOrderedId(std::string_view prefix);

// An RFC 9562 version 7 UUID in lowercase canonical form: the creation time (milliseconds),
// then 74 random bits. Unguessable like a version 4 UUID (though its time is readable), and new
// ones sort after old ones, so that an index of them grows at its end, not on a random page.
std::string NewUuidV7();

}  // namespace tripsim
