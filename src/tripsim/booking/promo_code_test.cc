#include "tripsim/booking/promo_code.h"

#include <gtest/gtest.h>

#include <set>

namespace tripsim::booking {
namespace {

TEST(PromoCode, HasTheGroupedFormatAndIsUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string code = NewPromoCode();
    ASSERT_EQ(code.size(), 14u);
    EXPECT_EQ(code[4], '-');
    EXPECT_EQ(code[9], '-');
    EXPECT_EQ(NormalizePromoCode(code), code);
    EXPECT_TRUE(seen.insert(code).second);
  }
}

TEST(PromoCode, NormalizesWhatTravellersType) {
  EXPECT_EQ(NormalizePromoCode("k7q2m9xd4tpa"), "K7Q2-M9XD-4TPA");
  EXPECT_EQ(NormalizePromoCode("K7Q2-M9XD-4TPA"), "K7Q2-M9XD-4TPA");
  EXPECT_EQ(NormalizePromoCode("o1l2-0000-0000"), "0112-0000-0000");
  EXPECT_EQ(NormalizePromoCode(" K7Q2 M9XD 4TPA "), "K7Q2-M9XD-4TPA");
  EXPECT_EQ(NormalizePromoCode("k7q2 - m9xd - 4tpa"), "K7Q2-M9XD-4TPA");
  EXPECT_FALSE(NormalizePromoCode("K7Q2-M9XD-4TP").has_value());
  EXPECT_FALSE(NormalizePromoCode("K7Q2-M9XD-4TPU").has_value());
  EXPECT_FALSE(NormalizePromoCode("../../etc/passwd").has_value());
}

}  // namespace
}  // namespace tripsim::booking
