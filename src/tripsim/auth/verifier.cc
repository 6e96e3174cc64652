#include "tripsim/auth/verifier.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "tripsim/base/crypto.h"

namespace tripsim::auth {
namespace {

Status Unauthenticated(std::string message) {
  return {ErrorCode::kUnauthenticated, std::move(message)};
}

std::optional<int64_t> ParseMillis(std::string_view s) {
  if (s.empty() || s.size() > 16) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string StringToSign(std::string_view timestamp, std::string_view method,
                         std::string_view target, std::string_view content_sha256) {
  std::string s;
  s.reserve(timestamp.size() + method.size() + target.size() + content_sha256.size());
  s.append(timestamp).append(method).append(target).append(content_sha256);
  return s;
}

std::string Sign(std::string_view secret, std::string_view timestamp, std::string_view method,
                 std::string_view target, std::string_view content_sha256) {
  return crypto::HmacSha256Hex(secret, StringToSign(timestamp, method, target, content_sha256));
}

Verification Verify(const SignedRequest& request, const KeyStore& keys, const Clock& clock,
                    const VerifyOptions& options) {
  if (!request.api_key || request.api_key->empty()) {
    return {Unauthenticated("Missing x-api-key header"), std::nullopt};
  }
  Result<std::optional<Credentials>> found = keys.Find(*request.api_key);
  if (!found.ok()) return {found.status(), std::nullopt};
  if (!found->has_value()) return {Unauthenticated("Unknown API key"), std::nullopt};
  const Credentials& creds = **found;
  Verification v{Status::Ok(), creds.partner_id};

  if (!request.timestamp || request.timestamp->empty()) {
    v.status = Unauthenticated("Missing x-timestamp header");
    return v;
  }
  if (!request.signature || request.signature->empty()) {
    v.status = Unauthenticated("Missing x-signature header");
    return v;
  }
  std::optional<int64_t> ts = ParseMillis(*request.timestamp);
  if (!ts) {
    v.status = Unauthenticated("Malformed x-timestamp: expected Unix time in milliseconds");
    return v;
  }
  const int64_t now = clock.NowMillis();
  int64_t skew = now - *ts;
  if (skew > options.window_millis || -skew > options.window_millis) {
    // Seconds where milliseconds belong is the usual integration slip: say so. (Below 10^11,
    // so that the product cannot overflow.)
    const bool seconds =
        *ts < 100'000'000'000 && std::abs(now - *ts * 1000) <= options.window_millis;
    v.status = Unauthenticated(
        seconds ? "Request timestamp is in seconds: x-timestamp must be Unix time in "
                  "milliseconds (Date.now())"
                : "Request timestamp expired: it must be within " +
                      std::to_string(options.window_millis / 1000) + " seconds of the server time");
    return v;
  }
  // The body hash: required for partners with require_body_hash; whenever it is sent it must
  // match the body, and it is covered by the signature.
  std::string_view body_hash;
  bool has_hash = request.content_sha256 && !request.content_sha256->empty();
  if (creds.require_body_hash && !has_hash) {
    v.status = Unauthenticated("Missing x-content-sha256 header (required for this partner)");
    return v;
  }
  if (has_hash) {
    if (!crypto::ConstantTimeEquals(Lower(*request.content_sha256),
                                    crypto::Sha256Hex(request.body))) {
      v.status = Unauthenticated("x-content-sha256 does not match the request body");
      return v;
    }
    body_hash = *request.content_sha256;
  }
  const std::string given = Lower(*request.signature);
  const bool current = crypto::ConstantTimeEquals(
      given, Sign(creds.secret, *request.timestamp, request.method, request.target, body_hash));
  const bool previous =
      !current && !creds.previous_secret.empty() &&
      clock.NowMillis() <= creds.previous_secret_until &&
      crypto::ConstantTimeEquals(given, Sign(creds.previous_secret, *request.timestamp,
                                             request.method, request.target, body_hash));
  if (!current && !previous) {
    v.status = Unauthenticated("Invalid signature");
    return v;
  }
  if (!creds.enabled) {
    v.status = {ErrorCode::kPermissionDenied, "Partner account is disabled"};
  }
  return v;
}

}  // namespace tripsim::auth
