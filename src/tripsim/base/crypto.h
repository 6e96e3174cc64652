// Cryptographic helpers on OpenSSL 3: HMAC-SHA256, SHA-256, a CSPRNG, constant-time comparison,
// hex coding and AES-256-GCM for secrets at rest.
//
//   std::string sig = crypto::HmacSha256Hex(secret, timestamp + "POST" + "/api/bookings");
//   bool ok = crypto::ConstantTimeEquals(sig, received);
//
// Every function is thread-safe. None of them logs its inputs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tripsim/base/status.h"

namespace tripsim::crypto {

// Lowercase hex of HMAC-SHA256(key, message).
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// Lowercase hex of SHA-256(data).
std::string Sha256Hex(std::string_view data);

// `n` bytes from OpenSSL's CSPRNG. Aborts if the CSPRNG fails (it does not, once seeded).
std::string RandomBytes(size_t n);

// True when a and b are equal; the time taken depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string HexEncode(std::string_view bytes);
// Accepts upper- and lowercase digits. Fails on odd length or a non-hex character.
Result<std::string> HexDecode(std::string_view hex);

// AES-256-GCM with a random 96-bit nonce. `key` is 32 raw bytes. The output is
// hex(nonce || ciphertext || tag), safe to store as text.
Result<std::string> Seal(std::string_view key, std::string_view plaintext);
// Reverses Seal; fails when the key is wrong or the data was altered.
Result<std::string> Open(std::string_view key, std::string_view sealed_hex);

}  // namespace tripsim::crypto
