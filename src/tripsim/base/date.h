// Civil (proleptic Gregorian) dates as day numbers, and ISO 8601 parsing.
//
//   std::optional<Date> d = ParseIsoDate("2026-07-15");            // or
//   "2026-07-15T10:00:00+02:00" int trip_days = return_date->days - departure->days + 1;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tripsim {

struct Date {
  int32_t days = 0;  // days since 1970-01-01
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted <=>
  auto operator<=>(const Date&) const = default;
};

Date DateFromCivil(int y, unsigned m, unsigned d);
void CivilFromDate(Date date, int& y, unsigned& m, unsigned& d);

// "YYYY-MM-DD", or a date-time with an explicit offset ("YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)");
// the date is the calendar date as written. nullopt for anything else, including impossible dates.
std::optional<Date> ParseIsoDate(std::string_view text);

// A strict "YYYY-MM-DD" only.
std::optional<Date> ParseIsoDateOnly(std::string_view text);

std::string FormatDate(Date date);                 // "YYYY-MM-DD"
std::string FormatTimestamp(int64_t unix_millis);  // RFC 3339 UTC, "2026-07-15T10:00:00.123Z"
Date DateOfMillis(int64_t unix_millis);            // the UTC calendar date
int64_t MillisOfDate(Date date);                   // midnight UTC

}  // namespace tripsim
