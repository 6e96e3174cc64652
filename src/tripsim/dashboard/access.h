// Dashboard access tokens: an operator (admin) token sees every partner; a partner's dashboard
// token sees only that partner. Tokens are random, shown once, and stored only as SHA-256, so
// the store holds nothing that would let a reader log in; lookups go by that hash.
//
//   std::string token = IssueAccessToken(store, "", now).value();    // operator
//   Result<store::AccessToken> who = Authorize(store, request.Header("authorization"));
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tripsim/base/status.h"
#include "tripsim/store/store.h"

namespace tripsim::dashboard {

// partner_id empty: an operator token.
Result<std::string> IssueAccessToken(store::Store& store, const std::string& partner_id,
                                     int64_t now_millis);

// The token of an "Authorization: Bearer <token>" header; kUnauthenticated when the header is
// missing, malformed or names no token.
Result<store::AccessToken> Authorize(store::Store& store,
                                     std::optional<std::string_view> authorization);

}  // namespace tripsim::dashboard
