#include "tripsim/dashboard/access.h"

#include "tripsim/base/crypto.h"

namespace tripsim::dashboard {
namespace {

constexpr std::string_view kPrefix = "tsk_";
constexpr size_t kTokenBytes = 32;

}  // namespace

Result<std::string> IssueAccessToken(store::Store& store, const std::string& partner_id,
                                     int64_t now_millis) {
  std::string token = std::string(kPrefix) + crypto::HexEncode(crypto::RandomBytes(kTokenBytes));
  TRIPSIM_RETURN_IF_ERROR(
      store.CreateAccessToken({crypto::Sha256Hex(token), partner_id, now_millis}));
  return token;
}

Result<store::AccessToken> Authorize(store::Store& store,
                                     std::optional<std::string_view> authorization) {
  const Status denied(ErrorCode::kUnauthenticated, "A valid bearer token is required");
  if (!authorization) return denied;
  constexpr std::string_view kScheme = "Bearer ";
  std::string_view value = *authorization;
  if (value.size() <= kScheme.size() || value.size() > 256 ||
      !std::equal(kScheme.begin(), kScheme.end(), value.begin(),
                  [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return denied;
  }
  std::string_view token = value.substr(kScheme.size());
  if (token.substr(0, kPrefix.size()) != kPrefix) return denied;
  Result<store::AccessToken> found = store.FindAccessToken(crypto::Sha256Hex(token));
  if (!found.ok() && found.status().code() == ErrorCode::kNotFound) return denied;
  return found;
}

}  // namespace tripsim::dashboard
