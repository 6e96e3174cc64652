// Identifiers: random, unguessable, URL-safe.
//
//   std::string id = NewId("bk_");   // "bk_5k2q9x..." (20 random base32 characters)
//   std::string u = NewUuidV4();     // "3f0c2a1e-...-..."
#pragma once

#include <string>
#include <string_view>

namespace tripsim {

// prefix + 20 characters of lowercase Crockford base32 (100 random bits).
std::string NewId(std::string_view prefix);

// An RFC 9562 version 4 UUID in lowercase canonical form.
std::string NewUuidV4();

}  // namespace tripsim
