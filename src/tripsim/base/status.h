// Status and Result<T>: expected failures as values with canonical codes.
//
// Every operation that can fail for a reason other than a bug returns a Status (no value) or a
// Result<T> (a value or a Status). Both are [[nodiscard]]: a failure cannot be ignored silently.
// The codes are transport-neutral; api/error_table.cc is the one place that maps them to HTTP.
//
//   Result<Booking> r = service.GetByReference(partner, booking_id);
//   if (!r.ok()) return r.status();
//   Use(r.value());
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tripsim {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,     // the caller sent something malformed (validation)
  kUnauthenticated,     // missing or wrong credentials
  kPermissionDenied,    // authenticated, but not allowed (disabled partner, disallowed destination)
  kNotFound,            // unknown id, or one the caller may not see
  kAlreadyExists,       // a conflicting record exists (idempotency conflict)
  kFailedPrecondition,  // the state forbids the operation (cancellation rules)
  kUnprocessable,       // well-formed but cannot be satisfied (no package fits)
  kGone,                // existed once, no longer usable (expired or revoked promo code)
  kResourceExhausted,   // rate limited or out of stock
  kUnavailable,         // a dependency is unreachable; retrying may help
  kInternal,            // a bug or an unexpected failure; details are logged, never returned
};

// One problem with one field of a request, as reported to the client.
struct FieldIssue {
  std::string field;
  std::string issue;
  std::string existing_id;  // set only for idempotency conflicts
  bool operator==(const FieldIssue&) const = default;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::vector<FieldIssue> details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  static Status Ok() { return {}; }

  // For kResourceExhausted and kUnavailable: when the caller may try again (seconds).
  Status&& WithRetryAfter(int seconds) && {
    retry_after_seconds_ = seconds;
    return std::move(*this);
  }
  int retry_after_seconds() const { return retry_after_seconds_; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldIssue>& details() const { return details_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::vector<FieldIssue> details_;
  int retry_after_seconds_ = 0;  // 0: not said
};

inline Status InvalidArgument(std::string m, std::vector<FieldIssue> d = {}) {
  return {ErrorCode::kInvalidArgument, std::move(m), std::move(d)};
}
inline Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }
inline Status Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }

// A value of type T, or the Status that explains why there is none. Shaped like std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "a Result holding a Status must hold a failure");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The failure, or Ok when a value is held. The reference lives as long as this Result.
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tripsim

// Returns early from the enclosing function when `expr` (a Status) is a failure.
#define TRIPSIM_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::tripsim::Status tripsim_status_ = (expr);        \
    if (!tripsim_status_.ok()) return tripsim_status_; \
  } while (0)

// Declares `lhs` from the value of `expr` (a Result), or returns its failure. (`lhs` is a name
// being declared, so it cannot be parenthesized.)
#define TRIPSIM_ASSIGN_OR_RETURN(lhs, expr)             \
  auto lhs##_result = (expr);                           \
  if (!lhs##_result.ok()) return lhs##_result.status(); \
  auto lhs = std::move(lhs##_result).value()  // NOLINT(bugprone-macro-parentheses)

// Invariants (bugs), never user input: aborts with a message when `cond` is false.
#define TRIPSIM_CHECK(cond)                                                   \
  do {                                                                        \
    if (!(cond)) ::tripsim::internal::CheckFailed(#cond, __FILE__, __LINE__); \
  } while (0)

namespace tripsim::internal {
[[noreturn]] void CheckFailed(const char* cond, const char* file, int line);
}
