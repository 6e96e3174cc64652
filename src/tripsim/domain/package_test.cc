#include "tripsim/domain/package.h"

#include <gtest/gtest.h>

namespace tripsim::domain {
namespace {

TEST(ParseDataSize, ReadsMegabytesAndGigabytes) {
  EXPECT_EQ(ParseDataSize("500MB"), 500);
  EXPECT_EQ(ParseDataSize("1GB"), 1024);
  EXPECT_EQ(ParseDataSize("1.5GB"), 1536);
  EXPECT_EQ(ParseDataSize("unlimited", true), kUnlimitedMb);
  EXPECT_FALSE(ParseDataSize("unlimited").has_value());
  for (const char* bad : {"", "GB", "5gb", "5 GB", "-1GB", "1.GB", "5TB", "1e3MB"}) {
    EXPECT_FALSE(ParseDataSize(bad).has_value()) << bad;
  }
}

TEST(FormatDataSize, RoundTrips) {
  for (const char* s : {"500MB", "1GB", "1.5GB", "20GB", "unlimited"}) {
    EXPECT_EQ(FormatDataSize(*ParseDataSize(s, true)), s);
  }
}

TEST(ParseMoney, ReadsAmountsWithCurrency) {
  EXPECT_EQ(ParseMoney("4.50 EUR"), (Money{450, "EUR"}));
  EXPECT_EQ(ParseMoney("8 USD"), (Money{800, "USD"}));
  EXPECT_EQ(ParseMoney("0.5 EUR"), (Money{50, "EUR"}));
  EXPECT_EQ(FormatMoney(Money{1490, "EUR"}), "14.90 EUR");
  for (const char* bad : {"4.50", "EUR 4.50", "4.505 EUR", "4.50 eur", "-1 EUR", "4,50 EUR"}) {
    EXPECT_FALSE(ParseMoney(bad).has_value()) << bad;
  }
}

TEST(ParsePackageType, ReadsTimeLimitedAsDataLimited) {
  EXPECT_EQ(ParsePackageType("time-limited"), PackageType::kDataLimited);
  EXPECT_EQ(ParsePackageType("starter"), PackageType::kStarter);
  EXPECT_FALSE(ParsePackageType("Unlimited").has_value());
}

}  // namespace
}  // namespace tripsim::domain
