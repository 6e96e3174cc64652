#include "tripsim/domain/geography.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace tripsim::domain {
namespace {

TEST(Geography, FindsCountriesByEitherCodeInAnyCase) {
  const Geography& geo = Geography::Builtin();
  ASSERT_NE(geo.FindCountry("FR"), nullptr);
  EXPECT_EQ(geo.FindCountry("fra")->alpha2, "FR");
  EXPECT_EQ(geo.FindCountry("XX"), nullptr);
  EXPECT_GE(geo.countries().size(), 240u);
}

TEST(Geography, BuildsRegions) {
  const Geography& geo = Geography::Builtin();
  auto eu = geo.Expand("EU");
  ASSERT_TRUE(eu.has_value());
  EXPECT_TRUE(std::binary_search(eu->begin(), eu->end(), "DE"));
  EXPECT_TRUE(std::binary_search(eu->begin(), eu->end(), "NO"));  // EEA
  EXPECT_FALSE(std::binary_search(eu->begin(), eu->end(), "CH"));
  for (const char* r : {"EU", "EUROPE", "NORTH_AMERICA", "LATAM", "ASIA", "MIDDLE_EAST", "AFRICA",
                        "OCEANIA", "GLOBAL"}) {
    EXPECT_TRUE(geo.IsRegion(r)) << r;
  }
  EXPECT_EQ(geo.Canonical("deu"), "DE");
  EXPECT_FALSE(geo.Canonical("ATLANTIS").has_value());
}

}  // namespace
}  // namespace tripsim::domain
