#include "tripsim/base/date.h"

#include <gtest/gtest.h>

namespace tripsim {
namespace {

TEST(ParseIsoDate, AcceptsDatesAndDateTimesWithOffset) {
  EXPECT_EQ(FormatDate(*ParseIsoDate("2026-07-15")), "2026-07-15");
  EXPECT_EQ(FormatDate(*ParseIsoDate("2026-07-15T10:00:00+02:00")), "2026-07-15");
  EXPECT_EQ(FormatDate(*ParseIsoDate("2026-07-15T23:59:59.123Z")), "2026-07-15");
  EXPECT_TRUE(ParseIsoDate("2024-02-29").has_value());
}

TEST(ParseIsoDate, RejectsMalformedAndImpossibleDates) {
  for (const char* bad :
       {"2026-7-15", "15-07-2026", "2026-02-30", "2023-02-29", "2026-13-01", "2026-07-15T10:00:00",
        "2026-07-15T25:00Z", "2026-07-15 ", "tomorrow", ""}) {
    EXPECT_FALSE(ParseIsoDate(bad).has_value()) << bad;
  }
}

TEST(Dates, ConvertBetweenMillisAndCivil) {
  EXPECT_EQ(FormatDate(DateOfMillis(0)), "1970-01-01");
  EXPECT_EQ(FormatDate(DateOfMillis(1715558400000)), "2024-05-13");
  EXPECT_EQ(FormatTimestamp(1715558400123), "2024-05-13T00:00:00.123Z");
  EXPECT_EQ(FormatTimestamp(1715558400000 + 47'229'045), "2024-05-13T13:07:09.045Z");
  EXPECT_EQ(ParseIsoDate("2026-07-22")->days - ParseIsoDate("2026-07-15")->days, 7);
}

TEST(Dates, YearsBeyondFourDigitsAreWrittenWhole) {
  const Date last = *ParseIsoDate("9999-12-31");
  EXPECT_EQ(FormatDate(last), "9999-12-31");
  EXPECT_EQ(FormatDate(Date{last.days + 1}), "10000-01-01");
  EXPECT_EQ(FormatTimestamp(MillisOfDate(Date{last.days + 1}) + 1), "10000-01-01T00:00:00.001Z");
  EXPECT_EQ(FormatDate(Date{-719'528}), "0000-01-01");
  EXPECT_EQ(FormatDate(Date{-719'529}), "-001-12-31");
}

}  // namespace
}  // namespace tripsim
