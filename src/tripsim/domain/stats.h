// What the dashboard counts (design.md sections 6 and 10): booking attempts by outcome, messages
// by state, promo codes issued, redeemed and revoked, per UTC day and partner.
//
//   DayCounters c;
//   c.failed[Index(FailureReason::kValidation)] += 1;
//   int64_t attempted = c.attempted();  // accepted plus every failure
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tripsim::domain {

// Why a POST /api/bookings did not create a booking. Idempotent repeats are no attempt at all.
enum class FailureReason {
  kValidation,
  kAuthentication,
  kNoPackage,
  kConflict,
  kRateLimited,
  kInternal
};
inline constexpr size_t kFailureReasonCount = 6;

constexpr size_t Index(FailureReason r) { return static_cast<size_t>(r); }
std::string_view FailureReasonName(FailureReason r);  // "validation", "no_package", ...
std::optional<FailureReason> ParseFailureReason(std::string_view name);

// The reason a rejected booking request is counted under, from its HTTP status.
FailureReason FailureReasonOfStatus(int http_status);

struct DayCounters {
  int64_t accepted = 0;
  std::array<int64_t, kFailureReasonCount> failed{};
  // Messages created that day, by their state now.
  int64_t messages_pending = 0;
  int64_t messages_sent = 0;
  int64_t messages_failed = 0;
  int64_t messages_cancelled = 0;
  // Promo codes of bookings created that day, by what became of them.
  int64_t codes_issued = 0;
  int64_t codes_redeemed = 0;
  int64_t codes_revoked = 0;

  int64_t failures() const;
  int64_t attempted() const { return accepted + failures(); }
  DayCounters& operator+=(const DayCounters& o);
  bool operator==(const DayCounters&) const = default;
};

// Time to send is counted in steps of this many milliseconds (exact percentiles at that
// resolution from a small histogram).
inline constexpr int64_t kSendTimeStepMillis = 10;

}  // namespace tripsim::domain
