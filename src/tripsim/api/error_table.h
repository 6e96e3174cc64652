// The one place where a Status becomes an HTTP status and the documented error body
// ({"success": false, "error": {"code", "message", "details"}}).
#pragma once

#include <string>

#include "tripsim/api/http.h"
#include "tripsim/base/status.h"

namespace tripsim::api {

int HttpStatusOf(ErrorCode code);

// The error response for `status`. Internal errors answer a generic message: the details are
// logged, never returned.
HttpResponse ErrorResponse(const Status& status);

// An error response with an explicit HTTP status (for errors of the HTTP layer itself).
HttpResponse ErrorResponse(int http_status, const std::string& message);

}  // namespace tripsim::api

// Declares `lhs` from the value of `expr` (a Result), or returns its error response. (`lhs` is
// a name being declared, so it cannot be parenthesized.)
#define TRIPSIM_ASSIGN_OR_RESPOND(lhs, expr)                                           \
  auto lhs##_result = (expr);                                                          \
  if (!lhs##_result.ok()) return ::tripsim::api::ErrorResponse(lhs##_result.status()); \
  auto lhs = std::move(lhs##_result).value()  // NOLINT(bugprone-macro-parentheses)
