#include "tripsim/api/error_table.h"

#include "tripsim/base/log.h"
#include "tripsim/wire/booking_codec.h"

namespace tripsim::api {

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kGone:
      return 410;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(const Status& status) {
  int http = HttpStatusOf(status.code());
  if (status.code() == ErrorCode::kInternal) {
    log::Error("internal_error", {{"error", status.message()}});
    return ErrorResponse(500, "Internal server error");
  }
  if (status.code() == ErrorCode::kUnavailable && status.retry_after_seconds() == 0) {
    // A dependency failed: its details are logged, not returned. (An unavailability that
    // carries retry advice was written for the client, and is returned as is.)
    log::Error("unavailable", {{"error", status.message()}});
    return ErrorResponse(503, "Service temporarily unavailable, retry later");
  }
  HttpResponse r{http, "application/json", wire::EncodeError(http, status), {}};
  if (status.retry_after_seconds() > 0) {
    r.headers.emplace_back("retry-after", std::to_string(status.retry_after_seconds()));
  }
  return r;
}

HttpResponse ErrorResponse(int http_status, const std::string& message) {
  return {http_status,
          "application/json",
          wire::EncodeError(http_status, Status(ErrorCode::kInternal, message)),
          {}};
}

}  // namespace tripsim::api
