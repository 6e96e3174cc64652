#include "tripsim/domain/stats.h"

namespace tripsim::domain {
namespace {

constexpr std::array<std::string_view, kFailureReasonCount> kNames = {
    "validation", "authentication", "no_package", "conflict", "rate_limited", "internal"};

}  // namespace

std::string_view FailureReasonName(FailureReason r) { return kNames[Index(r)]; }

std::optional<FailureReason> ParseFailureReason(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<FailureReason>(i);
  }
  return std::nullopt;
}

FailureReason FailureReasonOfStatus(int http_status) {
  switch (http_status) {
    case 401:
      return FailureReason::kAuthentication;
    case 403:  // a destination or package type the partner may not book
    case 404:
    case 422:
      return FailureReason::kNoPackage;
    case 409:
      return FailureReason::kConflict;
    case 429:
      return FailureReason::kRateLimited;
    default:
      return http_status >= 500 ? FailureReason::kInternal : FailureReason::kValidation;
  }
}

int64_t DayCounters::failures() const {
  int64_t n = 0;
  for (int64_t f : failed) n += f;
  return n;
}

DayCounters& DayCounters::operator+=(const DayCounters& o) {
  accepted += o.accepted;
  for (size_t i = 0; i < failed.size(); ++i) failed[i] += o.failed[i];
  messages_pending += o.messages_pending;
  messages_sent += o.messages_sent;
  messages_failed += o.messages_failed;
  messages_cancelled += o.messages_cancelled;
  codes_issued += o.codes_issued;
  codes_redeemed += o.codes_redeemed;
  codes_revoked += o.codes_revoked;
  return *this;
}

}  // namespace tripsim::domain
