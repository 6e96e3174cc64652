// Verification of the partner guide's HMAC request signatures (design.md 2.1).
//
// The string to sign is timestamp + METHOD + target, where target is the raw request target as
// received (path with "/api" and the query string, not decoded). A client may also send
// x-content-sha256 (hex SHA-256 of the body; required for partners with require_body_hash):
// it must then match the body, and the string to sign gains that hash at its end.
//
//   auth::Verification v = auth::Verify(request, keys, clock, {});
//   if (!v.status.ok()) return Fail(v.status);   // v.partner_id is set when the key was known
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tripsim/base/clock.h"
#include "tripsim/base/status.h"

namespace tripsim::auth {

// What the verifier needs to know about the owner of an API key.
struct Credentials {
  std::string partner_id;
  std::string secret;  // plaintext; held only in memory
  bool enabled = true;
  bool require_body_hash = false;
  // During a rotation: the previous secret, accepted too until previous_secret_until.
  std::string previous_secret;
  int64_t previous_secret_until = 0;  // Unix millis
};

// Looks up the credentials of an API key. Implementations are thread-safe.
class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // nullopt when no partner has this key; a Status failure when the lookup itself failed.
  virtual Result<std::optional<Credentials>> Find(std::string_view api_key) const = 0;
};

// The signed parts of one request. Absent headers are nullopt.
struct SignedRequest {
  std::string_view method;  // "POST"
  std::string_view target;  // "/api/bookings?perPage=10", exactly as received
  std::optional<std::string_view> api_key;
  std::optional<std::string_view> timestamp;
  std::optional<std::string_view> signature;
  std::optional<std::string_view> content_sha256;
  std::string_view body;
};

struct VerifyOptions {
  int64_t window_millis = 300'000;  // |now - timestamp| may be at most this
};

struct Verification {
  Status status;                          // Ok, kUnauthenticated (401) or kPermissionDenied (403)
  std::optional<std::string> partner_id;  // set whenever the API key named a partner
};

// The canonical string to sign.
std::string StringToSign(std::string_view timestamp, std::string_view method,
                         std::string_view target, std::string_view content_sha256 = {});

// lowercase hex HMAC-SHA256(secret, StringToSign(...)): what a client sends as x-signature.
std::string Sign(std::string_view secret, std::string_view timestamp, std::string_view method,
                 std::string_view target, std::string_view content_sha256 = {});

Verification Verify(const SignedRequest& request, const KeyStore& keys, const Clock& clock,
                    const VerifyOptions& options);

}  // namespace tripsim::auth
